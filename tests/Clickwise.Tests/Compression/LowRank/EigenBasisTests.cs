using Clickwise.Compression.LowRank;

namespace Clickwise.Tests.Compression.LowRank;

/// <summary>
/// The eigensolver against the definition, not another solver: A·u_j = λ_j·u_j to 1e-10‖A‖, UᵀU = I, λ descending and
/// the sign rule deterministic.
/// </summary>
public sealed class EigenBasisTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(128)]
    [InlineData(512)]
    public void EigenpairsSatisfyTheDefinitionToATenBillionthOfTheNorm(int n)
    {
        double[] a = RandomSpd(n, seed: n);
        EigenBasis basis = EigenBasis.Of(a, n, new double[n]);

        double norm = Math.Sqrt(a.Sum(x => x * x));
        double worstResidual = 0, worstOrthogonality = 0;
        for (int j = 0; j < n; j++)
        {
            for (int r = 0; r < n; r++)
            {
                double av = 0;
                for (int c = 0; c < n; c++)
                {
                    av += a[r * n + c] * basis.Vector(c, j);
                }

                worstResidual = Math.Max(worstResidual, Math.Abs(av - basis.Values[j] * basis.Vector(r, j)));
            }

            for (int k = j; k < Math.Min(n, j + 8); k++)
            {
                double dot = 0;
                for (int r = 0; r < n; r++)
                {
                    dot += basis.Vector(r, j) * basis.Vector(r, k);
                }

                worstOrthogonality = Math.Max(worstOrthogonality, Math.Abs(dot - (j == k ? 1 : 0)));
            }
        }

        Assert.True(worstResidual <= 1e-10 * norm, $"residual {worstResidual:G3} against ‖A‖ {norm:G3}");
        Assert.True(worstOrthogonality <= 1e-12, $"UᵀU off the identity by {worstOrthogonality:G3}");
        for (int j = 1; j < n; j++)
        {
            Assert.True(basis.Values[j - 1] >= basis.Values[j], $"λ{j - 1} = {basis.Values[j - 1]} < λ{j} = {basis.Values[j]}");
        }

        Assert.Equal(a.AsSpan().ToArray().Select((_, i) => i % (n + 1) == 0 ? a[i] : 0).Sum(), basis.Values.Sum(), 1e-9 * norm);
    }

    [Fact]
    public void KnownDiagonalMatrixGivesItsEntriesInDescendingOrderWithPositiveUnitVectors()
    {
        double[] a = [1, 0, 0, 0, 5, 0, 0, 0, 3];
        EigenBasis basis = EigenBasis.Of(a, 3, new double[3]);
        Assert.Equal([5.0, 3.0, 1.0], basis.Values);
        Assert.Equal(1.0, basis.Vector(1, 0), 1e-15);
        Assert.Equal(1.0, basis.Vector(2, 1), 1e-15);
        Assert.Equal(1.0, basis.Vector(0, 2), 1e-15);
    }

    [Fact]
    public void EachVectorPointsTowardsTheMean()
    {
        double[] a = RandomSpd(6, seed: 3);
        double[] mean = [0.3, -1.2, 0.5, 2.0, -0.1, 0.7];
        EigenBasis basis = EigenBasis.Of(a, 6, mean);
        for (int j = 0; j < 6; j++)
        {
            double dot = Enumerable.Range(0, 6).Sum(r => basis.Vector(r, j) * mean[r]);
            Assert.True(dot >= 0, $"u{j}ᵀμ = {dot}");
        }

        double[] flipped = [.. mean.Select(m => -m)];
        EigenBasis other = EigenBasis.Of(a, 6, flipped);
        for (int j = 0; j < 6; j++)
        {
            Assert.Equal(-basis.Vector(0, j), other.Vector(0, j), 1e-12);
        }
    }

    [Fact]
    public void RoundingNegativeEigenvaluesAreClampedToZero()
    {
        // Rank one: u·uᵀ with u = (1, 2, 3); the two zero eigenvalues come out around ±1e-16.
        double[] u = [1, 2, 3];
        double[] a = [.. Enumerable.Range(0, 9).Select(i => u[i / 3] * u[i % 3])];
        EigenBasis basis = EigenBasis.Of(a, 3, u);
        Assert.Equal(14.0, basis.Values[0], 1e-12);
        Assert.All(basis.Values.Skip(1), l => Assert.InRange(l, 0.0, 1e-12));
    }

    [Fact]
    public void AMatrixOfTheWrongSizeIsRejected() =>
        Assert.Throws<ArgumentException>(() => EigenBasis.Of(new double[8], 3, new double[3]));

    internal static double[] RandomSpd(int n, int seed)
    {
        var random = new Random(seed);
        int samples = n + 5;
        var x = new double[samples * n];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() * 2 - 1;
        }

        var a = new double[n * n];
        for (int s = 0; s < samples; s++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    a[i * n + j] += x[s * n + i] * x[s * n + j] / samples;
                }
            }
        }

        return a;
    }
}
