using Clickwise.Kernels;
using Clickwise.Kernels.Reference;

namespace Clickwise.Tests.Kernels;

public sealed class SlicedEllMatrixTests
{
    [Theory]
    [InlineData(1, 390, 400, 0.99)]
    [InlineData(3, 390, 400, 0.9)]
    [InlineData(5, 17, 33, 0.5)]
    [InlineData(2, 8, 1, 0.0)]
    [InlineData(4, 6, 5, 1.0)]
    [InlineData(0, 6, 5, 0.5)]
    [InlineData(2, 40, 9, 0.3)] // one output lane alone in its slice
    public void MatchesTheDenseProductOfThePrunedMatrix(int batch, int rows, int columns, double sparsity)
    {
        var random = new Random(rows * 31 + columns);
        float[] w = [.. Enumerable.Range(0, rows * columns).Select(_ => random.NextDouble() < sparsity ? 0f : (float)(random.NextDouble() - 0.5))];
        float[] x = [.. Enumerable.Range(0, batch * rows).Select(_ => Math.Max(0f, (float)(random.NextDouble() - 0.5)))];
        float[] bias = [.. Enumerable.Range(0, batch * columns).Select(i => i * 0.01f)];
        float[] expected = [.. bias];
        new ReferenceGemm().Multiply(x, w, expected, batch, columns, rows, transA: false, transB: false, accumulate: true);

        SlicedEllMatrix sell = SlicedEllMatrix.FromDense(w, rows, columns);
        float[] actual = [.. bias];
        sell.MultiplyAdd(x, actual, batch);

        Assert.Equal(w.Count(v => v != 0f), sell.NonZeroCount);
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
