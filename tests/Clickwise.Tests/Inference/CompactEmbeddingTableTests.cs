using Clickwise.Inference;

namespace Clickwise.Tests.Inference;

public sealed class CompactEmbeddingTableTests
{
    [Theory]
    [InlineData(1000, 10, 0.9)]
    [InlineData(1000, 10, 0.0)]
    [InlineData(777, 1, 0.5)]
    [InlineData(300, 7, 0.4)]
    [InlineData(129, 64, 0.7)]
    [InlineData(65, 13, 1.0)]
    [InlineData(0, 10, 0.5)]
    public void RoundTripsEveryRow(int rows, int dim, double sparsity)
    {
        var random = new Random(rows + dim);
        float[] dense = [.. Enumerable.Range(0, rows * dim).Select(_ => random.NextDouble() < sparsity ? 0f : (float)(random.NextDouble() - 0.5))];
        // Whole rows pruned, as embedding pruning leaves for rare features.
        for (int r = 0; r < rows; r += 5)
        {
            dense.AsSpan(r * dim, dim).Clear();
        }

        CompactEmbeddingTable table = CompactEmbeddingTable.FromDense(dense, dim);
        Assert.Equal(dense, table.ToDense());
        Assert.Equal(dense.Count(v => v != 0f), table.NonZeroCount);

        var row = new float[dim];
        for (int r = rows - 1; r >= 0; r -= 37)
        {
            row.AsSpan().Fill(float.NaN);
            table.CopyRow(r, row);
            Assert.Equal(dense.AsSpan(r * dim, dim).ToArray(), row);
        }
    }

    [Fact]
    public void NinetyPercentSparseTableTakesUnderAFifthOfTheDenseBytes()
    {
        const int rows = 100_000, dim = 10;
        var random = new Random(3);
        float[] dense = [.. Enumerable.Range(0, rows * dim).Select(_ => random.NextDouble() < 0.9 ? 0f : 1f)];
        CompactEmbeddingTable table = CompactEmbeddingTable.FromDense(dense, dim);
        double ratio = table.Bytes / (double)(dense.Length * sizeof(float));
        Assert.InRange(ratio, 0.10, 0.2);
    }

    [Fact]
    public void RejectsBadShapesAndRows()
    {
        Assert.Throws<ArgumentException>(() => CompactEmbeddingTable.FromDense(new float[10], 3));
        Assert.Throws<ArgumentException>(() => CompactEmbeddingTable.FromDense(new float[65], 65));
        CompactEmbeddingTable table = CompactEmbeddingTable.FromDense(new float[20], 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.CopyRow(2, new float[10]));
    }
}
