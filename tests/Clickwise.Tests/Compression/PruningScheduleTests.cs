using Clickwise.Compression.Pruning;

namespace Clickwise.Tests.Compression;

public sealed class PruningScheduleTests
{
    [Fact]
    public void SparsityFollowsThePapersFormula()
    {
        var schedule = new PruningSchedule();
        Assert.Equal(0, schedule.SparsityAt(0.9, 0));
        // s = S(1 - D^(k/U)) with D = 0.99, U = 100: k = 100 gives S·0.01, k = 6900 gives S·(1 - 0.99^69).
        Assert.Equal(0.9 * 0.01, schedule.SparsityAt(0.9, 100), 12);
        Assert.Equal(0.9 * (1 - Math.Pow(0.99, 69)), schedule.SparsityAt(0.9, 6900), 12);
        Assert.Equal(0.9 * 0.5, new PruningSchedule(Decay: 0.5, DecayIterations: 10).SparsityAt(0.9, 10), 12);
        Assert.Equal(0.9 * (1 - Math.Pow(0.99, 100)), schedule.SparsityAt(0.9, 10_000), 12);
        Assert.True(schedule.SparsityAt(0.9, 10_000) < schedule.SparsityAt(0.9, 20_000));
    }

    [Fact]
    public void PrunesEveryIntervalAndOnTheLastBatchOfAnEpoch()
    {
        var schedule = new PruningSchedule(Interval: 10);
        long[] steps = [.. Enumerable.Range(0, 35).Where(k => schedule.IsPruneStep(k, lastBatchOfEpoch: false)).Select(k => (long)k)];
        Assert.Equal([10L, 20L, 30L], steps);
        Assert.True(schedule.IsPruneStep(7, lastBatchOfEpoch: true));
        Assert.False(schedule.IsPruneStep(0, lastBatchOfEpoch: true));
    }

    [Fact]
    public void FittedDecayReachesNinetyNinePercentOneEpochBeforeTheEnd()
    {
        var schedule = new PruningSchedule(WarmupEpochs: 2, DecayIterations: 0);
        PruningSchedule fitted = schedule.ResolvedFor(epochs: 10, stepsPerEpoch: 500);
        Assert.Equal(fitted.DecayIterations, schedule.FitDecayIterations(10, 500));
        // 8 pruning epochs: 99% of the target after 7 of them (3,500 iterations).
        Assert.Equal(0.99, fitted.SparsityAt(1.0, 3500), 2);
        Assert.Same(fitted, fitted.ResolvedFor(10, 500));
        Assert.Equal(100, new PruningSchedule().ResolvedFor(10, 500).DecayIterations);
    }

    [Fact]
    public void AnEarlierUntilEpochReachesTheTargetsAtItsEndAndLeavesTheRestAtThem()
    {
        var schedule = new PruningSchedule(WarmupEpochs: 1, DecayIterations: 0, UntilEpoch: 2);
        // 3 epochs of 500 steps: the target iteration is epoch 2's end, 500 iterations after warm-up.
        Assert.Equal(500, schedule.TargetIteration(epochs: 3, stepsPerEpoch: 500));
        Assert.Equal(2, schedule.FirstEpochAtTarget(3));
        Assert.Equal(0.99, schedule.ResolvedFor(3, 500).SparsityAt(1.0, 500), 12);
        // Without it, the last step and the last epoch; with a fraction, the epoch it falls in.
        Assert.Equal(1000, (schedule with { UntilEpoch = 0 }).TargetIteration(3, 500));
        Assert.Equal(3, (schedule with { UntilEpoch = 0 }).FirstEpochAtTarget(3));
        Assert.Equal(750, (schedule with { UntilEpoch = 2.5 }).TargetIteration(3, 500));
        Assert.Equal(3, (schedule with { UntilEpoch = 2.5 }).FirstEpochAtTarget(3));
        // The default fit is unchanged: 99% one epoch before the end.
        Assert.Equal(0.99, (schedule with { UntilEpoch = 0 }).ResolvedFor(3, 500).SparsityAt(1.0, 500), 12);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(-2.0)]
    [InlineData(double.PositiveInfinity)]
    public void AnUntilEpochMustFollowTheWarmup(double until)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PruningSchedule(WarmupEpochs: 1, UntilEpoch: until).Validate());
        Assert.Equal("UntilEpoch", e.ParamName);
    }

    [Theory]
    [InlineData(-1, 0.99, 100, 10)]
    [InlineData(2, 1.0, 100, 10)]
    [InlineData(2, 0.0, 100, 10)]
    [InlineData(2, 0.99, -1, 10)]
    [InlineData(2, 0.99, 100, 0)]
    public void RejectsSettingsOutOfRange(int warmup, double decay, int decayIterations, int interval)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PruningSchedule(warmup, decay, decayIterations, interval).Validate());
    }
}
