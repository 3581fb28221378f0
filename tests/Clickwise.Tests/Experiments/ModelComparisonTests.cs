using Clickwise.Experiments;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;
using Clickwise.Tests.Runs;

namespace Clickwise.Tests.Experiments;

public sealed class ModelComparisonTests
{
    [Fact]
    public void EveryModelIsTrainedWithEverySeedOnOneSplit()
    {
        using var dir = new TempDirectory();
        TrainRequest request = SmallRequest(dir, seed: 4);

        var saved = new List<ComparisonReport>();
        ComparisonReport report = ModelComparison.Run(request, ["lr", "deepfwfm"], seeds: 2, latencyRequests: 200,
            cancellationToken: TestContext.Current.CancellationToken, progress: saved.Add);

        // The report is handed out after every model, so an interrupted run keeps the models it finished.
        Assert.Equal([["lr"], ["lr", "deepfwfm"]], saved.Select(r => r.Rows.Select(row => row.Model).ToArray()));

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

    [Fact]
    public void ResumingKeepsFinishedModelsAndRefusesAnotherSplit()
    {
        using var dir = new TempDirectory();
        TrainRequest request = SmallRequest(dir, seed: 1);
        ComparisonReport first = ModelComparison.Run(request, ["lr"], seeds: 1, latencyRequests: 100,
            cancellationToken: TestContext.Current.CancellationToken);
        // A marker no training could produce shows that the finished row is kept, not retrained.
        ComparisonReport interrupted = first with { Rows = [first.Rows[0] with { AucMean = 0.123 }] };

        ComparisonReport resumed = ModelComparison.Run(request, ["lr", "fm"], seeds: 1, latencyRequests: 100,
            cancellationToken: TestContext.Current.CancellationToken, resumeFrom: interrupted);

        Assert.Equal(["lr", "fm"], resumed.Rows.Select(r => r.Model));
        Assert.Equal(0.123, resumed.Rows[0].AucMean);
        Assert.InRange(resumed.Rows[1].AucMean, 0.55, 1.0);
        var error = Assert.Throws<InvalidDataException>(() => ModelComparison.Run(request, ["fm"], seeds: 2, latencyRequests: 100,
            cancellationToken: TestContext.Current.CancellationToken, resumeFrom: interrupted));
        Assert.Contains("cannot resume", error.Message);
    }

    /// <summary>8,000 synthetic rows and settings under which every small model learns in one epoch.</summary>
    private static TrainRequest SmallRequest(TempDirectory dir, int seed)
    {
        string data = dir.File("clicks.tsv");
        RunData.Synthesize(data, rows: 8000, seed: 9);
        TrainRequest baseline = RunData.Request(data, dir.File("cmp"), "lr", epochs: 1);
        return baseline with
        {
            Model = baseline.Model with { EmbeddingDim = 4, HiddenUnits = [16], Seed = seed },
            Preprocessing = baseline.Preprocessing with { MinCount = 2 },
            Training = baseline.Training with { BatchSize = 256, LearningRate = 0.005 },
        };
    }
}
