using Clickwise.Metrics;

namespace Clickwise.Tests.Metrics;

public sealed class MetricAccumulatorTests
{
    [Fact]
    public void BatchesAddUpToTheWholePass()
    {
        var random = new Random(3);
        var scores = new float[5000];
        var labels = new float[5000];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = MathF.Round((float)random.NextDouble(), 2);
            labels[i] = random.NextDouble() < scores[i] ? 1 : 0;
        }

        var accumulator = new MetricAccumulator(initialCapacity: 16);
        for (int start = 0; start < scores.Length; start += 777)
        {
            int length = Math.Min(777, scores.Length - start);
            accumulator.AddProbabilities(scores.AsSpan(start, length), labels.AsSpan(start, length));
        }

        EvaluationResult result = accumulator.Result();
        Assert.Equal(5000, result.Rows);
        Assert.Equal(Auc.Compute(scores, labels), result.Auc, 12);
        Assert.Equal(LogLoss.FromProbabilities(scores, labels), result.LogLoss, 12);
        Assert.Equal(scores.Average(s => (double)s), result.PredictedCtr, 10);
        Assert.Equal(labels.Sum(), result.Positives);
        Assert.Equal(labels.Average(l => (double)l), result.ObservedCtr, 15);
        Assert.Equal(result.PredictedCtr / result.ObservedCtr, result.CalibrationRatio, 15);

        CalibrationReport calibration = accumulator.Calibration();
        Assert.Equal(10, calibration.Bins.Count);
        Assert.Equal(result.Positives, calibration.Bins.Sum(b => b.Positives));

        // Result sorted the keys in place; adding more rows afterwards still counts them once.
        accumulator.AddProbabilities([0.5f], [1]);
        Assert.Equal(5001, accumulator.Result().Rows);
    }

    [Fact]
    public void LogitsUseTheStableLossAndSigmoidScores()
    {
        float[] logits = [-30f, -1f, 0.5f, 40f];
        float[] labels = [1, 0, 1, 1];
        var accumulator = new MetricAccumulator();
        accumulator.AddLogits(logits, labels);
        EvaluationResult result = accumulator.Result();
        Assert.Equal(LogLoss.FromLogits(logits, labels), result.LogLoss, 12);
        Assert.Equal(2.0 / 3, result.Auc, 15);
        double predicted = logits.Average(z => (double)(float)LogLoss.Sigmoid(z));
        Assert.Equal(predicted, result.PredictedCtr, 12);
    }

    [Fact]
    public void ResetEmptyAndNaN()
    {
        var accumulator = new MetricAccumulator();
        EvaluationResult empty = accumulator.Result();
        Assert.Equal(0, empty.Rows);
        Assert.True(double.IsNaN(empty.Auc) && double.IsNaN(empty.LogLoss) && double.IsNaN(empty.ObservedCtr));

        accumulator.AddProbabilities([0.2f, 0.8f], [1, 1]);
        EvaluationResult oneClass = accumulator.Result();
        Assert.True(double.IsNaN(oneClass.Auc));
        Assert.Equal(-(Math.Log(0.2f) + Math.Log(0.8f)) / 2, oneClass.LogLoss, 6);

        accumulator.Reset();
        accumulator.AddProbabilities([0.2f, float.NaN, 0.8f], [0, 0, 1]);
        EvaluationResult withNaN = accumulator.Result();
        Assert.Equal(3, withNaN.Rows);
        Assert.True(double.IsNaN(withNaN.Auc) && double.IsNaN(withNaN.LogLoss) && double.IsNaN(withNaN.PredictedCtr));
        // Issue 17: eval on NaN predictions exited 1 (a bug) with InvalidOperationException; it is a data error.
        var nan = Assert.Throws<InvalidDataException>(() => accumulator.Calibration());
        Assert.Equal("1 of 3 predictions are NaN (the model's arithmetic overflowed on these rows), so AUC, logloss and calibration are undefined", nan.Message);

        accumulator.Reset();
        accumulator.AddProbabilities([0.2f, 0.8f], [0, 1]);
        Assert.Equal(1.0, accumulator.Result().Auc);
        Assert.Throws<ArgumentException>(() => accumulator.AddProbabilities([0.5f], [-1]));
    }
}
