using Clickwise.Metrics;

namespace Clickwise.Tests.Metrics;

public sealed class LogLossTests
{
    [Fact]
    public void MeanOfHandComputedTerms()
    {
        // (-ln 0.9 - ln(1 - 0.2)) / 2
        double expected = (0.10536051565782628 + 0.22314355131420976) / 2;
        Assert.Equal(expected, LogLoss.FromProbabilities([0.9f, 0.2f], [1, 0]), 7);
    }

    [Fact]
    public void ProbabilitiesAreClippedToEpsilon()
    {
        Assert.Equal(1e-7, LogLoss.Epsilon);
        Assert.Equal(-Math.Log(1e-7), LogLoss.FromProbabilities([0f], [1]), 12);
        Assert.Equal(-Math.Log(1e-7), LogLoss.FromProbabilities([1f], [0]), 12);
        Assert.Equal(-Math.Log(1 - 1e-7), LogLoss.FromProbabilities([1f], [1]), 15);
        Assert.Equal(16.11809565095832, LogLoss.FromProbability(-3, positive: true), 12);
    }

    [Fact]
    public void LogitsMatchSigmoidProbabilitiesWhereNoClippingApplies()
    {
        var random = new Random(7);
        var logits = new float[1000];
        var labels = new float[1000];
        var probabilities = new float[1000];
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)(random.NextDouble() * 16 - 8);
            labels[i] = random.Next(2);
            probabilities[i] = (float)LogLoss.Sigmoid(logits[i]);
        }

        // Probabilities are rounded to float, so agreement is to float precision.
        Assert.Equal(LogLoss.FromProbabilities(probabilities, labels), LogLoss.FromLogits(logits, labels), 5);
        for (int i = 0; i < 50; i++)
        {
            double p = LogLoss.Sigmoid(logits[i]);
            double direct = labels[i] == 1 ? -Math.Log(p) : -Math.Log(1 - p);
            Assert.Equal(direct, LogLoss.FromLogit(logits[i], labels[i] == 1), 10);
        }
    }

    [Fact]
    public void LogitsAreStableFarOutAndCappedLikeClippedProbabilities()
    {
        Assert.Equal(15.000000305902274, LogLoss.FromLogit(15, positive: false), 12);
        Assert.Equal(-Math.Log(1e-7), LogLoss.FromLogit(50, positive: false), 12);
        Assert.Equal(-Math.Log(1e-7), LogLoss.FromLogit(-800, positive: true), 12);
        Assert.True(double.IsNaN(LogLoss.FromLogit(double.NaN, positive: true)));
        Assert.Equal(1.0, LogLoss.FromLogit(40, positive: true) / Math.Exp(-40), 12);
        Assert.Equal(Math.Log(2), LogLoss.FromLogits([0f, 0f], [0, 1]), 15);
        Assert.Equal(1.0, LogLoss.Sigmoid(800));
        Assert.Equal(0.0, LogLoss.Sigmoid(-800));
    }

    /// <summary>Issue 17: a libsvm value of 1e20 gave a logit of -2.8e16 and a mean logloss of 2.8e16.</summary>
    [Fact]
    public void AHugeWrongLogitCostsNoMoreThanAClippedProbability()
    {
        Assert.Equal((-Math.Log(1e-7) + Math.Log(2)) / 2, LogLoss.FromLogits([-2.8e16f, 0f], [1, 1]), 12);
        Assert.Equal(LogLoss.FromProbabilities([0f, 0.5f], [1, 1]), LogLoss.FromLogits([-2.8e16f, 0f], [1, 1]), 12);
    }

    [Fact]
    public void NoRowsIsNaN()
    {
        Assert.True(double.IsNaN(LogLoss.FromProbabilities([], [])));
        Assert.True(double.IsNaN(LogLoss.FromLogits([], [])));
    }
}
