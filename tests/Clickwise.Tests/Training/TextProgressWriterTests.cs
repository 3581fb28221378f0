using Clickwise.Training;

namespace Clickwise.Tests.Training;

public sealed class TextProgressWriterTests
{
    [Fact]
    public void EpochLinesCarryTheMetricsAndStepLinesAreThrottled()
    {
        var text = new StringWriter();
        var writer = new TextProgressWriter(text, TimeSpan.Zero);
        writer.OnStep(new StepProgress(1, 2, 3, 10, 3, 0.5, 1000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(9)));
        writer.OnEpoch(new EpochResult(1, 0.456789, 0.8012345, 0.44, 12345.6, 2.26));
        writer.OnEpoch(new EpochResult(2, 0.4, double.NaN, double.NaN, 1000, 1));

        Assert.Equal(
            "epoch 1 train_loss 0.45679 valid_auc 0.80123 valid_logloss 0.44000 12,346 samples/s 2.3 s" + Environment.NewLine
            + "epoch 2 train_loss 0.40000 1,000 samples/s 1.0 s" + Environment.NewLine,
            text.ToString());
    }

    [Fact]
    public void StepLinesShowPositionLossRateAndEta()
    {
        var text = new StringWriter();
        var writer = new TextProgressWriter(text, TimeSpan.FromTicks(1));
        Thread.Sleep(2);
        writer.OnStep(new StepProgress(1, 2, 3, 10, 3, 0.5, 1000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3725)));
        Assert.Equal("epoch 1/2 step 3/10 loss 0.50000 1,000 samples/s ETA 01:02:05" + Environment.NewLine, text.ToString());
    }
}
