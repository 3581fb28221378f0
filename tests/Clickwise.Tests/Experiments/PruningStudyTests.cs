using Clickwise.Compression.Pruning;
using Clickwise.Experiments;
using Clickwise.Experiments.Statistics;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;
using Clickwise.Tests.Runs;

namespace Clickwise.Tests.Experiments;

public sealed class PruningStudyTests
{
    [Theory]
    [InlineData(1_000, 100, 10)]
    [InlineData(600, 100, 6)]
    [InlineData(640, 100, 6)]
    [InlineData(10, 100, 1)]
    public void MatchingEmbeddingDimRoundsTheValuesPerRow(long nonZero, long rows, int dim)
    {
        Assert.Equal(dim, PruningStudy.MatchingEmbeddingDim(nonZero, rows));
    }

    [Theory]
    [InlineData(3, 390, 40)]
    [InlineData(3, 390, 400)]
    [InlineData(1, 390, 57)]
    [InlineData(2, 16, 7)]
    public void MatchingWidthInvertsTheDenseWeightCount(int depth, int inputs, int width)
    {
        long weights = (long)inputs * width + (depth - 1L) * width * width + width;
        Assert.Equal(width, PruningStudy.MatchingWidth(weights, inputs, depth));
    }

    [Fact]
    public void ThePaperSettingsPerModelAndASweepsSettings()
    {
        Assert.Same(PruningStudyOptions.PaperSettings, PruningStudyOptions.PaperSettingsFor("deepfwfm"));
        Assert.Equal([("Dense", null), ("sDeepFM", "D-98% & F-40%")], PruningStudyOptions.PaperSettingsFor("deepfm")!.Select(s => (s.Label, s.Sparsity)));
        Assert.Equal([("Dense", null), ("sNFM", "D-98% & F-40%")], PruningStudyOptions.PaperSettingsFor("nfm")!.Select(s => (s.Label, s.Sparsity)));
        Assert.Equal("D-99% & C-99% & F-40%", PruningStudyOptions.PaperSettingsFor("xdeepfm")![1].Sparsity);
        Assert.Null(PruningStudyOptions.PaperSettingsFor("fm"));

        // A sweep: the dense baseline first, then each item in the paper's notation (either notation is read).
        Assert.Equal([null, "D-80%", "D-99% & F-40%"],
            PruningStudyOptions.ParseSettings(" D-80% , F-40% & D-99% ").Select(s => s.Sparsity));
        Assert.Equal(["Dense", "D-80%", "D-99% & F-40%"],
            PruningStudyOptions.ParseSettings("D-80%,D-99% & F-40%").Select(s => s.Label));
        Assert.Throws<FormatException>(() => PruningStudyOptions.ParseSettings(" , "));
        Assert.Contains("'Q'", Assert.Throws<FormatException>(() => PruningStudyOptions.ParseSettings("D-80%,Q-3%")).Message);
    }

    [Fact]
    public void RunsTheSettingsTheSizeMatchedNetworksAndEnsemblesOnOneSplit()
    {
        using var dir = new TempDirectory();
        TrainRequest request = SmallRequest(dir, rows: 20_000, dataSeed: 5, epochs: 3, width: 24, warmupEpochs: 1);
        var options = new PruningStudyOptions
        {
            Settings = [new("Dense", null), new("Low latency", "D-99% & R-95% & F-40%")],
            EnsembleModels = 3,
            BudgetMultiples = [1.0, 1000.0], // the loose budget fits all three however loaded the machine is
            LatencyRequests = 300,
            BatchSize = 500,
        };

        PruningStudyReport report = PruningStudy.Run(request, options, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["Dense", "Low latency"], report.Settings.Select(r => r.Label));
        Assert.Equal("Dense", PruningStudyOptions.PaperSettings[0].Label); // the baseline is named for what it is, not "None"
        PruningStudyRow dense = report.Settings[0], pruned = report.Settings[1];
        Assert.Equal(1.0, dense.SpeedUp, 12);
        Assert.Equal(dense.P50Micros / pruned.P50Micros, pruned.SpeedUp, 12);
        // DNN weights: 156→24, 24→24 pruned layer-wise to 99%; the 24→1 output layer is kept.
        Assert.Equal(39 * 4 * 24 + 24 * 24 + 24, dense.DnnNonZero);
        Assert.Equal(39 * 4 * 24 - MagnitudePruning.PrunedCount(39 * 4 * 24, 0.99) + 24 * 24 - MagnitudePruning.PrunedCount(24 * 24, 0.99) + 24,
            pruned.DnnNonZero);
        Assert.InRange(dense.TestAuc, 0.65, 1.0);
        Assert.InRange(pruned.TestAuc, 0.6, 1.0);

        // N-X: the same depth at the width whose dense weights number the pruned DNN's survivors, with R and F pruned alike.
        PruningStudyRow matched = Assert.Single(report.SizeMatched);
        int width = PruningStudy.MatchingWidth(pruned.DnnNonZero, 39 * 4, 2);
        Assert.Equal([width, width], matched.HiddenUnits);
        Assert.Equal("R-95% & F-40%", matched.Sparsity);

        // E-X: F-40% keeps 60% of the 4-wide table's values, so a dense table of dimension 2 (2.4 rounded), D and R pruned alike.
        float[] prunedTable = ModelArtifact.Load(pruned.ModelPath).Tensors["embedding"];
        int rows = prunedTable.Length / 4;
        Assert.Equal(2, PruningStudy.MatchingEmbeddingDim(prunedTable.Count(v => v != 0f), rows));
        PruningStudyRow smallEmbedding = Assert.Single(report.EmbeddingMatched);
        Assert.Equal(("E-2 (Low latency)", "D-99% & R-95%", "Low latency"), (smallEmbedding.Label, smallEmbedding.Sparsity, smallEmbedding.Matches));
        float[] smallTable = ModelArtifact.Load(smallEmbedding.ModelPath).Tensors["embedding"];
        Assert.Equal(rows * 2, smallTable.Length);
        Assert.DoesNotContain(0f, smallTable);

        // Ensembles: 3 seeds of the last setting; the loose budget takes all three.
        Assert.Equal([pruned.Seed, pruned.Seed + 1, pruned.Seed + 2], report.EnsembleMembers.Select(m => m.Seed));
        Assert.Equal(2, report.Ensembles.Count);
        Assert.All(report.Ensembles, e => Assert.True(e.Models == 1 || e.P50Micros <= e.BudgetMicros));
        Assert.Equal(3, report.Ensembles[1].Models);

        string markdown = PruningStudyMarkdown.Render(report, "study");
        Assert.Contains("| Low latency | D-99% & R-95% & F-40% | 24×24 |", markdown);
        Assert.Contains($"| N-{width} (Low latency) | R-95% & F-40% | {width}×{width} |", markdown);
        Assert.Contains("(paper Table 4, E-X)", markdown);
        Assert.Contains("| E-2 (Low latency) | D-99% & R-95% | 24×24 |", markdown);
    }

    [Fact]
    public void SeedsAreTestedAgainstTheDenseModelAndAnInterruptedStudyResumes()
    {
        using var dir = new TempDirectory();
        TrainRequest request = SmallRequest(dir, rows: 8_000, dataSeed: 6, epochs: 2, width: 16, warmupEpochs: 0);
        var options = new PruningStudyOptions
        {
            Settings = [new("Dense", null), new("Low latency", "D-99% & R-95% & F-40%")],
            Seeds = 2,
            SizeMatched = false,
            EmbeddingMatched = false,
            EnsembleModels = 2,
            BudgetMultiples = [1000.0],
            LatencyRequests = 200,
            BatchSize = 500,
        };

        var saved = new List<PruningStudyReport>();
        PruningStudyReport full = PruningStudy.Run(request, options, cancellationToken: TestContext.Current.CancellationToken, progress: saved.Add);

        // Two seeds per setting; the ensemble takes the pruned setting's two seeds as they are, training nothing more.
        Assert.Equal([("Dense", 1), ("Dense", 2), ("Low latency", 1), ("Low latency", 2)], full.Settings.Select(r => (r.Label, r.Seed)));
        Assert.Equal(full.Settings.Skip(2).Select(r => r.ModelPath), full.EnsembleMembers.Select(m => m.ModelPath));
        // Saved after every model: four settings, then two members.
        Assert.Equal([1, 2, 3, 4, 4, 4], saved.Select(r => r.Settings.Count));

        string markdown = PruningStudyMarkdown.Render(full, "study");
        PruningStudyRow[] pruned = [.. full.Settings.Skip(2)], dense = [.. full.Settings.Take(2)];
        double p = WelchTest.PValue(SeedSummary.Of(pruned.Select(r => r.TestAuc)), SeedSummary.Of(dense.Select(r => r.TestAuc)));
        Assert.Contains($"| {SeedSummary.Of(pruned.Select(r => r.TestAuc))} | {WelchTest.Format(p)} |", markdown);
        Assert.Contains("Welch t-test", markdown);

        // Interrupted after the third model: a resumed study keeps those three (marked) and trains only the fourth.
        // deeplight --resume reads the saved JSON back: the report must survive the round trip.
        PruningStudyReport interrupted = ConfigJson.Deserialize<PruningStudyReport>(ConfigJson.Serialize(
            saved[2] with { Settings = [.. saved[2].Settings.Select(r => r with { TestAuc = 0.123 })] }), "deeplight.json");
        var trained = new List<string>();
        PruningStudyReport resumed = PruningStudy.Run(request, options, label =>
        {
            trained.Add(label);
            return [];
        }, TestContext.Current.CancellationToken, resumeFrom: interrupted);
        Assert.Equal(["Low latency seed 2"], trained);
        Assert.Equal([0.123, 0.123, 0.123], resumed.Settings.Take(3).Select(r => r.TestAuc));
        Assert.NotEqual(0.123, resumed.Settings[3].TestAuc);
    }

    /// <summary>DeepFwFM with D = 4 and two hidden layers of <paramref name="width"/> on synthetic rows.</summary>
    private static TrainRequest SmallRequest(TempDirectory dir, int rows, ulong dataSeed, int epochs, int width, int warmupEpochs)
    {
        string data = dir.File("clicks.tsv");
        RunData.Synthesize(data, rows, seed: dataSeed);
        TrainRequest baseline = RunData.Request(data, dir.File("study"), "deepfwfm", epochs);
        return baseline with
        {
            Model = baseline.Model with { EmbeddingDim = 4, HiddenUnits = [width, width] },
            Preprocessing = baseline.Preprocessing with { MinCount = 2 },
            Training = baseline.Training with { BatchSize = 512, LearningRate = 0.005 },
            Pruning = new PruningConfig { WarmupEpochs = warmupEpochs },
        };
    }
}
