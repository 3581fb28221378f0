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

    [Fact]
    public void ReadingBothWaysTrainsTheSameModelAndReportsTheSpeedRatio()
    {
        using var dir = new TempDirectory();
        TrainRequest request = SmallRequest(dir, seed: 3);
        ComparisonReport report = ModelComparison.Run(request, ["fm"], seeds: 1, latencyRequests: 100,
            cancellationToken: TestContext.Current.CancellationToken, readings: [false, true]);

        Assert.Equal(["fm", "fm (sync reading)"], report.Rows.Select(r => r.Model));
        // Prefetching changes when a batch is read, never which: the two runs write the same model bytes.
        string cmp = dir.File("cmp");
        Assert.Equal(File.ReadAllBytes(Path.Combine(cmp, "fm-seed3.cwm")), File.ReadAllBytes(Path.Combine(cmp, "fm-sync-seed3.cwm")));
        Assert.Equal(report.Rows[0].AucMean, report.Rows[1].AucMean);
        (string model, double prefetched, double synchronous) = Assert.Single(ReadingSpeedup.Of(report));
        Assert.Equal(("fm", report.Rows[0].TrainSamplesPerSec, report.Rows[1].TrainSamplesPerSec), (model, prefetched, synchronous));
        string md = ComparisonMarkdown.Render(report, "t");
        Assert.Contains("Asynchronous over synchronous reading", md);
        Assert.Contains($"| fm | {prefetched:N0} | {synchronous:N0} | {prefetched / synchronous:F2}× |", md);
    }

    [Fact]
    public void TableVGainsAreRelativeToEachComponentAndFigureNineNormalisesByLr()
    {
        ComparisonRow Row(string model, double auc, double logLoss, double rate) => new(model, 3, auc, 0.001, logLoss, 0.001, 100, 10, rate);
        var report = new ComparisonReport(1000, 100, [1, 2, 3],
        [
            Row("lr", 0.70, 0.50, 400_000), Row("fm", 0.75, 0.48, 200_000), Row("dnn", 0.76, 0.47, 100_000),
            Row("deepfm", 0.80, 0.44, 80_000), Row("deepfm-ip", 0.79, 0.45, 50_000), Row("deepfm (sync reading)", 0.80, 0.44, 64_000),
        ]);

        Assert.Equal((0.80 - 0.75) / 0.75, ComponentGains.AucGain(report.Rows[3], report.Rows[1]), 12);
        Assert.Equal((0.47 - 0.44) / 0.47, ComponentGains.LogLossGain(report.Rows[3], report.Rows[2]), 12);
        string md = ComparisonMarkdown.Render(report, "t");
        // deepfm over FM: +6.67% AUC, +8.33% logloss; over DNN: +5.26%, +6.38%. deepfm-ip has FM but no IPNN row.
        Assert.Contains("| deepfm | fm: +6.67% (p <0.001 *), +8.33% (p <0.001 *) | dnn: +5.26% (p <0.001 *), +6.38% (p <0.001 *) |", md);
        Assert.Contains("| deepfm-ip | fm: +5.33% (p <0.001 *), +6.25% (p <0.001 *) | — |", md);
        // Fig. 9 times the prefetched rows only; the synchronous one goes to Table I's ratio.
        Assert.Equal([1.0, 2.0, 4.0, 5.0, 8.0], NormalisedTrainingTime.Of(report).Select(t => t.Ratio));
        Assert.Contains("| deepfm | 80,000 | 5.00 |", md);
        Assert.Contains("| deepfm | 80,000 | 64,000 | 1.25× |", md);
        Assert.Null(NormalisedTrainingTime.Render(report with { Rows = report.Rows.Skip(1).ToList() }));
        Assert.Null(ComponentGains.Render(report with { Rows = [report.Rows[0], report.Rows[3]] }));
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
