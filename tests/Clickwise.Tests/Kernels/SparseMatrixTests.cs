using Clickwise.Kernels;
using Clickwise.Kernels.Reference;

namespace Clickwise.Tests.Kernels;

/// <summary>The sparse weight formats against the dense product of the same pruned matrix (inputs half zero, as after ReLU).</summary>
public sealed class SparseMatrixTests
{
    [Theory]
    [InlineData("sell", 1, 390, 400, 0.99)]
    [InlineData("sell", 3, 390, 400, 0.9)]
    [InlineData("sell", 5, 17, 33, 0.5)]
    [InlineData("sell", 2, 8, 1, 0.0)]
    [InlineData("sell", 4, 6, 5, 1.0)]
    [InlineData("sell", 0, 6, 5, 0.5)]
    [InlineData("sell", 2, 40, 9, 0.3)] // one output lane alone in its slice
    [InlineData("csr", 1, 390, 400, 0.99)]
    [InlineData("csr", 3, 390, 400, 0.9)]
    [InlineData("csr", 5, 17, 33, 0.5)]
    [InlineData("csr", 2, 8, 1, 0.0)]
    [InlineData("csr", 4, 6, 5, 1.0)]
    [InlineData("csr", 0, 6, 5, 0.5)]
    public void MatchesTheDenseProductOfThePrunedMatrix(string format, int batch, int rows, int columns, double sparsity)
    {
        var random = new Random(rows * 31 + columns);
        float[] w = [.. Enumerable.Range(0, rows * columns).Select(_ => random.NextDouble() < sparsity ? 0f : (float)(random.NextDouble() - 0.5))];
        float[] x = [.. Enumerable.Range(0, batch * rows).Select(_ => Math.Max(0f, (float)(random.NextDouble() - 0.5)))];
        float[] bias = [.. Enumerable.Range(0, batch * columns).Select(i => i * 0.01f)];
        float[] expected = [.. bias];
        new ReferenceGemm().Multiply(x, w, expected, batch, columns, rows, transA: false, transB: false, accumulate: true, threads: 1);

        ISparseMatrix matrix = format == "sell" ? SlicedEllMatrix.FromDense(w, rows, columns) : CsrMatrix.FromDense(w, rows, columns);
        float[] actual = [.. bias];
        matrix.MultiplyAdd(x, actual, batch);

        Assert.Equal(format, matrix.Format);
        Assert.Equal(w.Count(v => v != 0f), matrix.NonZeroCount);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void SortingOutputsByLengthKeepsPaddingSmall()
    {
        // Output c has c surviving weights: slices of equal lengths need no padding at all.
        const int Rows = 64, Columns = 64;
        float[] w = new float[Rows * Columns];
        for (int c = 0; c < Columns; c++)
        {
            for (int r = 0; r < c; r++)
            {
                w[r * Columns + c] = 1f + r;
            }
        }

        SlicedEllMatrix sell = SlicedEllMatrix.FromDense(w, Rows, Columns);
        int expectedStored = Enumerable.Range(0, Columns / 8).Sum(s => (Columns - 1 - 8 * s) * 8); // each slice padded to its longest
        Assert.Equal(Columns * (Columns - 1) / 2, sell.NonZeroCount);
        Assert.Equal(expectedStored, sell.StoredCount);
        Assert.True(sell.StoredCount < 1.15 * sell.NonZeroCount);
    }
}
