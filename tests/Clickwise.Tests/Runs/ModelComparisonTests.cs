using Clickwise.Runs;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Runs;

public sealed class ModelComparisonTests
{
    [Fact]
    public void StandardDeviationIsTheSampleOne()
    {
        Assert.Equal(0, ModelComparison.StandardDeviation([0.7]));
        // Values 1, 2, 3, 4: mean 2.5, squared deviations 5 in all, over n − 1 = 3.
        Assert.Equal(Math.Sqrt(5.0 / 3), ModelComparison.StandardDeviation([1, 2, 3, 4]), 12);
    }

    [Fact]
    public void EveryModelIsTrainedWithEverySeedOnOneSplit()
    {
        using var dir = new TempDirectory();
        string data = dir.File("clicks.tsv");
        RunData.Synthesize(data, rows: 8000, seed: 9);
        TrainRequest baseline = RunData.Request(data, dir.File("cmp"), "lr", epochs: 1);
        TrainRequest request = baseline with
        {
            Model = baseline.Model with { EmbeddingDim = 4, HiddenUnits = [16], Seed = 4 },
            Preprocessing = baseline.Preprocessing with { MinCount = 2 },
            Training = baseline.Training with { BatchSize = 256, LearningRate = 0.005 },
        };

        ComparisonReport report = ModelComparison.Run(request, ["lr", "deepfwfm"], seeds: 2, latencyRequests: 200,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([4, 5], report.Seeds);
        Assert.Equal(["lr", "deepfwfm"], report.Rows.Select(r => r.Model));
        Assert.All(report.Rows, r =>
        {
            Assert.Equal(2, r.Seeds);
            Assert.InRange(r.AucMean, 0.6, 1.0);
            Assert.True(r.AucStd >= 0 && r.P50Micros > 0 && r.TrainSamplesPerSec > 0);
        });
        Assert.True(report.Rows[1].Parameters > report.Rows[0].Parameters);
        // Each seed's model file exists, so the two seeds really were two runs.
        Assert.True(File.Exists(Path.Combine(dir.File("cmp"), "deepfwfm-seed5.cwm")));
        Assert.Contains("| deepfwfm |", ComparisonMarkdown.Render(report, "t"));
    }
}
