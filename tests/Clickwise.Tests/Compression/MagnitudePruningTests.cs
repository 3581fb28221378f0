using Clickwise.Compression.Pruning;

namespace Clickwise.Tests.Compression;

public sealed class MagnitudePruningTests
{
    [Theory]
    [InlineData(1000, 0.9, 900)]
    [InlineData(1000, 0.4, 400)]
    [InlineData(7, 0.5, 3)]
    [InlineData(0, 0.9, 0)]
    [InlineData(10, 0.0, 0)]
    public void CountIsTheFloorOfRateTimesLength(long length, double rate, long expected)
    {
        Assert.Equal(expected, MagnitudePruning.PrunedCount(length, rate));
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(257, 0.9)]
    [InlineData(10_000, 0.99)]
    [InlineData(10_000, 0.4)]
    [InlineData(70_001, 0.95)]
    public void PrunesExactlyTheSmallestMagnitudes(int length, double rate)
    {
        var random = new Random(length);
        float[] w = [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1) * (random.Next(4) == 0 ? 1e-6f : 1f))];
        var mask = new PruneMask(length);
        MagnitudePruning.Prune(w, mask, rate);

        long count = MagnitudePruning.PrunedCount(length, rate);
        Assert.Equal(count, mask.PrunedCount);
        // Every pruned weight is no larger than every kept one, and the sorted order agrees on the threshold.
        float[] sorted = [.. w.Select(Math.Abs).Order()];
        float maxPruned = Enumerable.Range(0, length).Where(i => mask.IsPruned(i)).Select(i => Math.Abs(w[i])).DefaultIfEmpty(0f).Max();
        float minKept = Enumerable.Range(0, length).Where(i => !mask.IsPruned(i)).Select(i => Math.Abs(w[i])).DefaultIfEmpty(float.MaxValue).Min();
        Assert.True(maxPruned <= minKept);
        if (count > 0)
        {
            Assert.Equal(sorted[count - 1], maxPruned);
        }
    }

    [Fact]
    public void TiesAreBrokenByIndexSoTheCountIsExact()
    {
        float[] w = [0.5f, -0.5f, 0.5f, 0.1f, 0.5f, 2f];
        var mask = new PruneMask(w.Length);
        MagnitudePruning.PruneSmallest(w, mask, 0, 3);
        Assert.Equal([true, true, false, true, false, false], Enumerable.Range(0, w.Length).Select(i => mask.IsPruned(i)));
    }

    [Fact]
    public void AlreadyPrunedEntriesGoFirstSoMasksOnlyGrow()
    {
        // Entry 4 is large but pruned earlier (and not yet zeroed); raising the rate keeps it pruned.
        float[] w = [0.1f, 0.2f, 0.3f, 0.4f, 9f, 0.6f];
        var mask = new PruneMask(w.Length);
        mask.Prune(4);
        MagnitudePruning.PruneSmallest(w, mask, 0, 3);
        Assert.Equal([true, true, false, false, true, false], Enumerable.Range(0, w.Length).Select(i => mask.IsPruned(i)));
    }

    [Fact]
    public void SegmentsPruneWithinTheirOwnRange()
    {
        // Per-field pruning: each field's rows are a segment of one table; a global threshold would take field 0 only.
        float[] table = [0.01f, 0.02f, 0.03f, 0.04f, 5f, 6f, 7f, 8f];
        var mask = new PruneMask(table.Length);
        MagnitudePruning.PruneSmallest(table.AsSpan(0, 4), mask, 0, 2);
        MagnitudePruning.PruneSmallest(table.AsSpan(4, 4), mask, 4, 2);
        Assert.Equal([true, true, false, false, true, true, false, false], Enumerable.Range(0, table.Length).Select(i => mask.IsPruned(i)));
    }

    [Fact]
    public void ApplyZeroesOnlyPrunedEntries()
    {
        float[] w = [.. Enumerable.Range(1, 130).Select(i => (float)i)];
        var mask = new PruneMask(w.Length);
        foreach (int i in new[] { 0, 63, 64, 129 })
        {
            mask.Prune(i);
        }

        mask.Apply(w);
        Assert.Equal(4, w.Count(v => v == 0f));
        Assert.Equal([0f, 2f], w[..2]);
        Assert.Equal([63f, 0f, 0f, 66f], w[62..66]);
        Assert.Equal(0f, w[129]);
        Assert.Equal(4 / 130.0, mask.Sparsity, 12);
        Assert.Throws<ArgumentException>(() => mask.Apply(new float[3]));
    }

    [Fact]
    public void ApplyRowsZeroesPrunedEntriesOfTheGivenRowsOnly()
    {
        // A [4, 3] table: entries 1 (row 0), 4 (row 1) and 10 (row 3) pruned; only rows 1 and 3 were touched.
        float[] table = [.. Enumerable.Range(1, 12).Select(i => (float)i)];
        var mask = new PruneMask(table.Length);
        mask.Prune(1);
        mask.Prune(4);
        mask.Prune(10);
        mask.ApplyRows(table, [3, 1], 3);
        Assert.Equal([1f, 2f, 3f, 4f, 0f, 6f, 7f, 8f, 9f, 10f, 0f, 12f], table);
    }

    [Fact]
    public void PruneZerosAdoptsExactZerosOnly()
    {
        float[] w = [0f, 1e-30f, -0f, 2f];
        var mask = new PruneMask(w.Length);
        mask.PruneZeros(w);
        Assert.Equal([true, false, true, false], Enumerable.Range(0, w.Length).Select(i => mask.IsPruned(i)));
    }
}
