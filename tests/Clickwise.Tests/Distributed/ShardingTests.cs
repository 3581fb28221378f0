using Clickwise.Data.Cache;
using Clickwise.Distributed;

namespace Clickwise.Tests.Distributed;

public sealed class ShardingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void ShardsOfASplitPartAreEqualConsecutiveAndDisjoint(int ranks)
    {
        RowSubset train = new RowSplit(1003, SplitMode.Random, SplitRatios.Default, seed: 4).Part(SplitPart.Train);
        int[] all = train.ToArray();
        long size = train.Count / ranks;
        var seen = new List<int>();
        for (int r = 0; r < ranks; r++)
        {
            RowSubset shard = train.Shard(r, ranks);
            Assert.Equal(size, shard.Count);
            int[] rows = shard.ToArray();
            Assert.Equal(all.AsSpan((int)(r * size), (int)size).ToArray(), rows);
            seen.AddRange(rows);
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(train.Count % ranks, train.Count - seen.Count);
    }

    [Fact]
    public void MoreRanksThanRowsLeavesEveryShardEmpty()
    {
        RowSubset few = RowSubset.Range(10, 3);
        Assert.Equal(0, few.Shard(2, 4).Count);
        Assert.Empty(few.Shard(2, 4).ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void RowsSpreadEvenlyOverTheOwners(int ranks)
    {
        const int Rows = 100_000;
        int[] counts = RowOwnership.Counts(Rows, ranks);
        Assert.Equal(Rows, counts.Sum());
        Assert.All(counts, c => Assert.InRange(c, Rows / ranks * 0.98, Rows / ranks * 1.02));
        // The first rows of a field (its most frequent categories) alternate owners instead of filling one rank.
        Assert.Equal(ranks, Enumerable.Range(0, 4 * ranks).Select(row => RowOwnership.Owner(row, ranks)).Distinct().Count());
    }
}
