using Clickwise.Training;

namespace Clickwise.Tests.Training;

public sealed class DivergenceGuardTests
{
    private static EpochResult Epoch(int epoch, double trainLoss, double validAuc = double.NaN, double validLogLoss = double.NaN) =>
        new(epoch, trainLoss, validAuc, validLogLoss, 1000, 1);

    /// <summary>Issue 17: Adam with lr 1e6 reached a train logloss of 6.3e36 (test 6.4e20, AUC 0.526) without one NaN.</summary>
    [Fact]
    public void AFirstEpochLossOverTenLn2IsDivergence()
    {
        Assert.Equal("train logloss 6.347E+36 is over 10 ln 2 = 6.931", DivergenceGuard.Check(Epoch(1, 6.3473e36), []));
        Assert.Null(DivergenceGuard.Check(Epoch(1, 6.9), []));
    }

    [Fact]
    public void ALossOverTheCeilingMustAlsoBeTenTimesItsBestEarlierEpoch()
    {
        EpochResult[] earlier = [Epoch(1, 0.9, 0.7, 0.8), Epoch(2, 0.7, 0.72, 0.75)];
        Assert.Equal("valid logloss 8 is over 10 ln 2 = 6.931, best earlier epoch 0.75", DivergenceGuard.Check(Epoch(3, 0.6, 0.7, 8), earlier));
        Assert.Null(DivergenceGuard.Check(Epoch(3, 0.6, 0.7, 0.8), earlier));
        Assert.Null(DivergenceGuard.Check(Epoch(2, 7.5), [Epoch(1, 0.8)]));
        Assert.Equal("train logloss 7.5 is over 10 ln 2 = 6.931, best earlier epoch 0.7", DivergenceGuard.Check(Epoch(2, 7.5), [Epoch(1, 0.7)]));
    }

    [Fact]
    public void AnAucBackAtChanceAfterLearningIsDivergenceButChanceFromTheStartIsNot()
    {
        Assert.Equal("valid AUC 0.505 is back at chance after 0.74", DivergenceGuard.Check(Epoch(3, 0.5, 0.505, 0.6), [Epoch(1, 0.5, 0.7, 0.5), Epoch(2, 0.45, 0.74, 0.46)]));
        Assert.Null(DivergenceGuard.Check(Epoch(2, 0.69, 0.505, 0.69), [Epoch(1, 0.69, 0.51, 0.69)]));
        Assert.Null(DivergenceGuard.Check(Epoch(2, 0.45, 0.73, 0.46), [Epoch(1, 0.45, 0.74, 0.46)]));
    }

    [Fact]
    public void NoValidationSetMeansOnlyTheTrainLossIsJudged()
    {
        Assert.Null(DivergenceGuard.Check(Epoch(2, 0.5), [Epoch(1, 0.45)]));
    }
}
