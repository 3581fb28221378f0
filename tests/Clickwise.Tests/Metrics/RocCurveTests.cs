using Clickwise.Metrics;

namespace Clickwise.Tests.Metrics;

public sealed class RocCurveTests
{
    private static RocCurve Curve(float[] scores, float[] labels, int maxPoints = RocCurve.DefaultMaxPoints)
    {
        var accumulator = new MetricAccumulator();
        accumulator.AddProbabilities(scores, labels);
        return accumulator.Roc(maxPoints);
    }

    [Fact]
    public void StepsThroughEveryThresholdFromTheHighest()
    {
        // Scores high to low: 0.9 (+), 0.8 (−), 0.7 (+), 0.6 (−): two positives, two negatives.
        RocCurve roc = Curve([0.7f, 0.9f, 0.6f, 0.8f], [1, 1, 0, 0]);
        Assert.Equal([0, 0, 0.5, 0.5, 1], roc.FalsePositiveRate);
        Assert.Equal([0, 0.5, 0.5, 1, 1], roc.TruePositiveRate);
        Assert.Equal(0.75, roc.Area(), 12);
    }

    [Fact]
    public void TiesMoveTogetherSoTheAreaIsTheAuc()
    {
        var random = new Random(3);
        float[] scores = [.. Enumerable.Range(0, 500).Select(_ => MathF.Round((float)random.NextDouble(), 1))]; // many ties
        float[] labels = [.. scores.Select(s => random.NextDouble() < s ? 1f : 0f)];
        RocCurve roc = Curve(scores, labels);
        Assert.Equal(Auc.Compute(scores, labels), roc.Area(), 12);
        Assert.Equal(12, roc.FalsePositiveRate.Length); // (0, 0) and one point per distinct score 0.0 … 1.0
    }

    [Fact]
    public void KeepsAboutMaxPointsAndBothEnds()
    {
        var random = new Random(4);
        float[] scores = [.. Enumerable.Range(0, 10_000).Select(_ => (float)random.NextDouble())];
        float[] labels = [.. scores.Select(s => random.NextDouble() < s ? 1f : 0f)];
        RocCurve roc = Curve(scores, labels, maxPoints: 100);
        Assert.InRange(roc.FalsePositiveRate.Length, 100, 102);
        Assert.Equal((0.0, 0.0), (roc.FalsePositiveRate[0], roc.TruePositiveRate[0]));
        Assert.Equal((1.0, 1.0), (roc.FalsePositiveRate[^1], roc.TruePositiveRate[^1]));
        Assert.Equal(Auc.Compute(scores, labels), roc.Area(), 3);
    }

    [Fact]
    public void EmptyWithOneClass() => Assert.Empty(Curve([0.2f, 0.4f], [1, 1]).FalsePositiveRate);
}
