using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Clickwise.Compression.LowRank;

/// <summary>
/// The eigenpairs of a symmetric positive semi-definite matrix (a covariance), eigenvalues descending and clamped at
/// 0 (rounding makes the smallest slightly negative), eigenvectors as columns. MathNet's symmetric EVD (Householder
/// tridiagonalisation + implicit QL) does the work. Signs are made deterministic: u_j is flipped so that u_jᵀμ ≥ 0
/// (the most positive pre-ReLU mass for a layer's down projection), and when u_jᵀμ is 0 so that its largest
/// component is positive.
/// </summary>
public sealed class EigenBasis
{
    private EigenBasis(double[] values, double[] vectors, int size)
    {
        Values = values;
        Vectors = vectors;
        Size = size;
    }

    public int Size { get; }

    /// <summary>λ_1 ≥ λ_2 ≥ … ≥ 0.</summary>
    public double[] Values { get; }

    /// <summary>[Size, Size] row-major; column j is u_j.</summary>
    public double[] Vectors { get; }

    public double Vector(int row, int column) => Vectors[row * Size + column];

    /// <summary>Decomposes <paramref name="matrix"/> [n, n] row-major (symmetric); <paramref name="mean"/> fixes signs.</summary>
    public static EigenBasis Of(ReadOnlySpan<double> matrix, int n, ReadOnlySpan<double> mean)
    {
        if (matrix.Length != (long)n * n)
        {
            throw new ArgumentException($"a {n}×{n} matrix has {(long)n * n} values, not {matrix.Length}.", nameof(matrix));
        }

        double[] copy = matrix.ToArray();
        Matrix<double> a = Matrix<double>.Build.Dense(n, n, (i, j) => copy[i * n + j]);
        Evd<double> evd = a.Evd(Symmetricity.Symmetric);
        int[] order = [.. Enumerable.Range(0, n).OrderByDescending(j => evd.EigenValues[j].Real).ThenBy(j => j)];

        var values = new double[n];
        var vectors = new double[(long)n * n];
        for (int c = 0; c < n; c++)
        {
            int source = order[c];
            values[c] = Math.Max(0, evd.EigenValues[source].Real);
            double sign = Sign(evd.EigenVectors, source, n, mean);
            for (int r = 0; r < n; r++)
            {
                vectors[r * n + c] = sign * evd.EigenVectors[r, source];
            }
        }

        return new EigenBasis(values, vectors, n);
    }

    /// <summary>M·U_k·diag(scale) for M [rows, Size] (row-major), in double: [rows, k].</summary>
    public float[] Project(ReadOnlySpan<float> matrix, int rowCount, int k, double[]? scale)
    {
        int m = Size;
        var result = new float[rowCount * k];
        for (int i = 0; i < rowCount; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double sum = 0;
                for (int r = 0; r < m; r++)
                {
                    sum += matrix[i * m + r] * Vector(r, j);
                }

                result[i * k + j] = (float)(sum * (scale?[j] ?? 1));
            }
        }

        return result;
    }

    /// <summary>diag(scale)·U_kᵀ, [k, Size].</summary>
    public float[] TopTransposed(int k, double[]? scale)
    {
        int m = Size;
        var result = new float[k * m];
        for (int j = 0; j < k; j++)
        {
            for (int r = 0; r < m; r++)
            {
                result[j * m + r] = (float)(Vector(r, j) * (scale?[j] ?? 1));
            }
        }

        return result;
    }

    /// <summary>(I − U_kU_kᵀ)μ: what the top k directions leave of μ (AFM's bias).</summary>
    public float[] OrthogonalPart(ReadOnlySpan<double> mean, int k)
    {
        int m = Size;
        var result = new double[m];
        mean[..m].CopyTo(result);
        for (int j = 0; j < k; j++)
        {
            double along = 0;
            for (int r = 0; r < m; r++)
            {
                along += mean[r] * Vector(r, j);
            }

            for (int r = 0; r < m; r++)
            {
                result[r] -= along * Vector(r, j);
            }
        }

        return [.. result.Select(v => (float)v)];
    }

    private static double Sign(Matrix<double> u, int column, int n, ReadOnlySpan<double> mean)
    {
        double dot = 0;
        for (int r = 0; r < mean.Length; r++)
        {
            dot += u[r, column] * mean[r];
        }

        if (dot != 0)
        {
            return dot > 0 ? 1 : -1;
        }

        int largest = 0;
        for (int r = 1; r < n; r++)
        {
            if (Math.Abs(u[r, column]) > Math.Abs(u[largest, column]))
            {
                largest = r;
            }
        }

        return u[largest, column] >= 0 ? 1 : -1;
    }
}
