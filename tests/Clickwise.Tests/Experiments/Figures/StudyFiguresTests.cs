using System.Xml.Linq;
using Clickwise.Experiments;
using Clickwise.Experiments.Figures;
using Clickwise.Metrics;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Experiments.Figures;

public sealed class StudyFiguresTests
{
    private static void AssertFigures(string directory, IReadOnlyList<string> written, params string[] names)
    {
        Assert.Equal(names.Select(n => Path.Combine(directory, n + ".png")), written);
        foreach (string name in names)
        {
            Pixels.AssertNotBlank(Path.Combine(directory, name + ".png"));
            XDocument svg = XDocument.Load(Path.Combine(directory, name + ".svg"));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Equal(FigureFile.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), svg.Root.Attribute("width")?.Value);
        }
    }

    [Fact]
    public void ComparisonBarsTradeOffAndTheRunsLearningCurves()
    {
        using var dir = new TempDirectory();
        string runs = Path.Combine(dir.Path, "runs");
        foreach ((string run, double auc) in new[] { ("lr-seed1", 0.70), ("deepfm-seed1", 0.75) })
        {
            Directory.CreateDirectory(Path.Combine(runs, run));
            File.WriteAllLines(Path.Combine(runs, run, "metrics.jsonl"),
                [.. Enumerable.Range(1, 3).Select(e => $"{{\"epoch\":{e},\"train_loss\":0.5,\"valid_auc\":{auc + e / 100.0},\"valid_logloss\":0.46,\"samples_per_sec\":1000,\"seconds\":1}}")]);
        }

        var report = new ComparisonReport(1000, 100, [1, 2],
        [
            new ComparisonRow("lr", 2, 0.70, 0.002, 0.47, 0.001, 40, 0.7, 300_000),
            new ComparisonRow("deepfm", 2, 0.75, 0.004, 0.45, 0.002, 500_000, 27, 20_000),
        ]);
        AssertFigures(dir.Path, StudyFigures.Write(report, dir.Path, runs), "compare-auc", "compare-auc-latency", "compare-time-vs-lr", "compare-curves");
    }

    [Fact]
    public void EvalRocAndReliabilityDiagram()
    {
        using var dir = new TempDirectory();
        var random = new Random(5);
        float[] scores = [.. Enumerable.Range(0, 2000).Select(_ => (float)random.NextDouble())];
        float[] labels = [.. scores.Select(s => random.NextDouble() < s ? 1f : 0f)];
        var accumulator = new MetricAccumulator();
        accumulator.AddProbabilities(scores, labels);
        AssertFigures(dir.Path, StudyFigures.Write(accumulator.Result(), accumulator.Roc(), accumulator.Calibration(), dir.Path), "roc", "calibration");
    }

    [Fact]
    public void LearningCurveReadsMetricsJsonlAndNamesABadLine()
    {
        using var dir = new TempDirectory();
        string path = dir.File("metrics.jsonl");
        File.WriteAllLines(path,
        [
            "{\"epoch\":1,\"train_loss\":0.52,\"valid_auc\":0.71,\"valid_logloss\":0.49,\"samples_per_sec\":1000,\"seconds\":2}",
            "{\"epoch\":2,\"train_loss\":0.48,\"valid_auc\":null,\"valid_logloss\":null,\"samples_per_sec\":1000,\"seconds\":2}",
        ]);
        IReadOnlyList<EpochPoint> epochs = LearningCurve.Read(path);
        Assert.Equal(new EpochPoint(1, 0.52, 0.71, 0.49), epochs[0]);
        Assert.True(epochs[1].Epoch == 2 && double.IsNaN(epochs[1].ValidAuc));
        Assert.Empty(LearningCurve.Read(dir.File("missing.jsonl")));
        File.WriteAllBytes(dir.File("curve.png"), FigureFile.Png(LearningCurve.Chart(epochs, "run")));
        Pixels.AssertNotBlank(dir.File("curve.png"));

        File.AppendAllText(path, "{\"train_loss\":0.4}\n");
        var error = Assert.Throws<InvalidDataException>(() => LearningCurve.Read(path));
        Assert.StartsWith($"{path}:3: ", error.Message);
    }
}
