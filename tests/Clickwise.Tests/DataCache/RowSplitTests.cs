using Clickwise.Data.Cache;

namespace Clickwise.Tests.DataCache;

public sealed class RowSplitTests
{
    private static readonly SplitPart[] s_parts = [SplitPart.Train, SplitPart.Valid, SplitPart.Test];

    [Fact]
    public void RandomSplitFollowsTheRatiosAndCoversEveryRowOnce()
    {
        const int N = 100_000;
        var split = new RowSplit(N, SplitMode.Random, new SplitRatios(0.8, 0.1, 0.1), seed: 7);
        int[][] parts = s_parts.Select(p => split.Part(p).ToArray()).ToArray();

        // Binomial sd at 100k rows: 126 for 0.8, 95 for 0.1; 5 sd bounds.
        Assert.InRange(parts[0].Length, 80_000 - 650, 80_000 + 650);
        Assert.InRange(parts[1].Length, 10_000 - 500, 10_000 + 500);
        Assert.InRange(parts[2].Length, 10_000 - 500, 10_000 + 500);
        Assert.Equal(Enumerable.Range(0, N), parts.SelectMany(p => p).Order());
        for (int p = 0; p < 3; p++)
        {
            Assert.Equal(split.Count(s_parts[p]), parts[p].Length);
            Assert.All(parts[p].Take(100), row => Assert.Equal(s_parts[p], split.PartOf(row)));
            Assert.True(split.Part(s_parts[p]).Contains(parts[p][0]));
        }
    }

    [Fact]
    public void RandomSplitDependsOnlyOnTheSeed()
    {
        int[] a = new RowSplit(10_000, SplitMode.Random, SplitRatios.Default, seed: 1).Part(SplitPart.Test).ToArray();
        int[] b = new RowSplit(10_000, SplitMode.Random, SplitRatios.Default, seed: 1).Part(SplitPart.Test).ToArray();
        int[] c = new RowSplit(10_000, SplitMode.Random, SplitRatios.Default, seed: 2).Part(SplitPart.Test).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);

        // A row's part does not depend on how many rows follow it.
        int[] prefix = new RowSplit(5_000, SplitMode.Random, SplitRatios.Default, seed: 1).Part(SplitPart.Test).ToArray();
        Assert.Equal(a.Where(r => r < 5_000), prefix);
    }

    [Fact]
    public void SequentialSplitCutsRowOrder()
    {
        var split = new RowSplit(1001, SplitMode.Sequential, new SplitRatios(0.7, 0.2, 0.1), seed: 0);
        Assert.Equal(Enumerable.Range(0, 701), split.Part(SplitPart.Train).ToArray());
        Assert.Equal(Enumerable.Range(701, 200), split.Part(SplitPart.Valid).ToArray());
        Assert.Equal(Enumerable.Range(901, 100), split.Part(SplitPart.Test).ToArray());
        Assert.Equal(SplitPart.Valid, split.PartOf(900));
        Assert.Equal(SplitPart.Test, split.PartOf(901));
    }

    [Fact]
    public void ZeroRatioGivesAnEmptyPart()
    {
        var split = new RowSplit(1000, SplitMode.Random, new SplitRatios(0.9, 0, 0.1), seed: 3);
        Assert.Equal(0, split.Count(SplitPart.Valid));
        Assert.Empty(split.Part(SplitPart.Valid).ToArray());
    }

    [Theory]
    [InlineData(0.8, 0.1, 0.2)]
    [InlineData(1.1, -0.1, 0)]
    [InlineData(double.NaN, 0.5, 0.5)]
    public void RejectsRatiosThatDoNotSumToOne(double train, double valid, double test)
    {
        var error = Assert.Throws<ArgumentException>(() => new RowSplit(10, SplitMode.Random, new SplitRatios(train, valid, test), 0));
        Assert.Contains("sum to 1", error.Message);
    }
}
