using Clickwise.Metrics;

namespace Clickwise.Tests.Metrics;

public sealed class CalibrationTests
{
    // Shuffled on purpose: bins come from the sorted order.
    private static readonly float[] Predictions = [0.5f, 0.1f, 0.4f, 0.2f, 0.3f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f];
    private static readonly float[] Labels = [1, 0, 1, 0, 0, 0, 1, 0, 0, 1];

    [Fact]
    public void MeansRatioAndQuantileBins()
    {
        CalibrationReport report = Calibration.Compute(Predictions, Labels, binCount: 5);
        Assert.Equal(10, report.Rows);
        Assert.Equal(0.3, report.PredictedCtr, 6);
        Assert.Equal(0.4, report.ObservedCtr, 15);
        Assert.Equal(0.75, report.Ratio, 6);

        double[] means = [0.1, 0.2, 0.3, 0.4, 0.5];
        double[] rates = [0, 0.5, 0, 0.5, 1];
        Assert.Equal(5, report.Bins.Count);
        for (int b = 0; b < 5; b++)
        {
            CalibrationBin bin = report.Bins[b];
            Assert.Equal(2, bin.Count);
            Assert.Equal(means[b], bin.MeanPrediction, 6);
            Assert.Equal(rates[b], bin.ObservedRate, 15);
            Assert.Equal((float)means[b], bin.LowerPrediction);
            Assert.Equal((float)means[b], bin.UpperPrediction);
        }
    }

    [Fact]
    public void UnevenBinsCoverEveryRowAndFewRowsGiveFewBins()
    {
        CalibrationReport three = Calibration.Compute(Predictions, Labels, binCount: 3);
        Assert.Equal([3L, 3L, 4L], three.Bins.Select(b => b.Count));
        Assert.Equal(4, three.Bins.Sum(b => b.Positives));
        Assert.Equal(0.1f, three.Bins[0].LowerPrediction);
        Assert.Equal(0.5f, three.Bins[2].UpperPrediction);

        CalibrationReport tiny = Calibration.Compute([0.7f, 0.2f], [1, 0], binCount: 10);
        Assert.Equal(2, tiny.Bins.Count);
        Assert.Equal(0.2f, tiny.Bins[0].LowerPrediction);
    }

    [Fact]
    public void NoPositivesGivesNaNRatioAndNaNPredictionThrows()
    {
        CalibrationReport report = Calibration.Compute([0.2f, 0.4f], [0, 0]);
        Assert.Equal(0.3, report.PredictedCtr, 6);
        Assert.Equal(0.0, report.ObservedCtr);
        Assert.True(double.IsNaN(report.Ratio));
        Assert.Throws<ArgumentException>(() => Calibration.Compute([float.NaN], [0]));
    }
}
