using Clickwise.Kernels;
using Clickwise.Kernels.Reference;

namespace Clickwise.Tests.Kernels;

public sealed class CsrMatrixTests
{
    [Theory]
    [InlineData(1, 390, 400, 0.99)]
    [InlineData(3, 390, 400, 0.9)]
    [InlineData(5, 17, 33, 0.5)]
    [InlineData(2, 8, 1, 0.0)]
    [InlineData(4, 6, 5, 1.0)]
    [InlineData(0, 6, 5, 0.5)]
    public void MatchesTheDenseProductOfThePrunedMatrix(int batch, int rows, int columns, double sparsity)
    {
        var random = new Random(rows * 31 + columns);
        float[] w = [.. Enumerable.Range(0, rows * columns).Select(_ => random.NextDouble() < sparsity ? 0f : (float)(random.NextDouble() - 0.5))];
        // ReLU-like inputs: about half are exactly zero, which the CSR product skips.
        float[] x = [.. Enumerable.Range(0, batch * rows).Select(_ => Math.Max(0f, (float)(random.NextDouble() - 0.5)))];
        float[] bias = [.. Enumerable.Range(0, batch * columns).Select(i => i * 0.01f)];
        float[] expected = [.. bias];
        new ReferenceGemm().Multiply(x, w, expected, batch, columns, rows, transA: false, transB: false, accumulate: true);

        CsrMatrix csr = CsrMatrix.FromDense(w, rows, columns);
        float[] actual = [.. bias];
        csr.MultiplyAdd(x, actual, batch);

        Assert.Equal(w.Count(v => v != 0f), csr.NonZeroCount);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void KeepsRowStructure()
    {
        float[] w = [0f, 2f, 0f, 0f, 0f, 0f, 3f, 0f, 4f];
        CsrMatrix csr = CsrMatrix.FromDense(w, 3, 3);
        Assert.Equal([0, 1, 1, 3], csr.RowStart);
        Assert.Equal([1, 0, 2], csr.Column);
        Assert.Equal([2f, 3f, 4f], csr.Value);
        Assert.Equal(3 / 9.0, csr.Density, 12);
        Assert.Throws<ArgumentException>(() => CsrMatrix.FromDense(w, 2, 3));
    }
}
