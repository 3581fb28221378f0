using Clickwise.Experiments;
using Clickwise.Experiments.Figures;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;
using Clickwise.Tests.Experiments.Figures;
using Clickwise.Tests.Runs;

namespace Clickwise.Tests.Experiments;

public sealed class HyperparameterSweepTests
{
    [Theory]
    [InlineData("constant", new[] { 200, 200, 200 })]
    [InlineData("increasing", new[] { 100, 200, 300 })]
    [InlineData("decreasing", new[] { 300, 200, 100 })]
    [InlineData("diamond", new[] { 150, 300, 150 })]
    public void ShapesSpreadTheBaseTotalOverItsLayersAsThePaperDoes(string shape, int[] widths)
    {
        ModelConfig base600 = new() { Name = "deepfm", HiddenUnits = [200, 200, 200] };
        Assert.Equal(widths, SweepSetting.Apply(base600, "shape", shape).HiddenUnits);
    }

    [Fact]
    public void EachSettingChangesOnlyItsOwnPartOfTheBaseModel()
    {
        ModelConfig model = new() { Name = "deepfm", HiddenUnits = [400, 400, 400], Dropout = 0.5f };
        Assert.Equal(Activation.Tanh, SweepSetting.Apply(model, "activation", "tanh").Activation);
        Assert.Equal(0.1f, SweepSetting.Apply(model, "dropout", "0.9").Dropout, 1e-6f);
        Assert.Equal(0f, SweepSetting.Apply(model, "dropout", "1.0").Dropout);
        Assert.Equal([100, 100, 100], SweepSetting.Apply(model, "width", "100").HiddenUnits);
        Assert.Equal([400, 400, 400, 400, 400], SweepSetting.Apply(model, "depth", "5").HiddenUnits);
        Assert.Equal([400, 400, 400], SweepSetting.Apply(model, "dropout", "0.9").HiddenUnits);
        Assert.Equal(["1.0", "0.9", "0.8", "0.7", "0.6", "0.5"], SweepSetting.PaperValues("dropout"));
        Assert.Equal([1, 1, 1, 1, 1, 1, 1], SweepSetting.Apply(model with { HiddenUnits = [1] }, "depth", "7").HiddenUnits);
    }

    [Theory]
    [InlineData("dropout", "0")]
    [InlineData("dropout", "1.5")]
    [InlineData("width", "-3")]
    [InlineData("depth", "two")]
    [InlineData("shape", "pyramid")]
    [InlineData("activation", "sigmoid")]
    [InlineData("lr", "0.1")]
    public void BadValuesAreRefusedNamingThem(string setting, string value)
    {
        var error = Assert.Throws<FormatException>(() => SweepSetting.Apply(new ModelConfig { Name = "deepfm" }, setting, value));
        Assert.Contains($"'{(setting == "lr" ? setting : value)}'", error.Message);
    }

    [Fact]
    public void ASweepTrainsEveryValueWithEverySeedTestsAgainstTheBaseAndResumesWithoutTraining()
    {
        using var dir = new TempDirectory();
        string data = dir.File("clicks.tsv");
        RunData.Synthesize(data, rows: 3000, seed: 5);
        TrainRequest baseline = RunData.Request(data, dir.File("sweep"), "deepfm", epochs: 1);
        TrainRequest request = baseline with
        {
            Model = baseline.Model with { EmbeddingDim = 4, HiddenUnits = [16, 16], Dropout = 0.5f, Seed = 3 },
            Preprocessing = baseline.Preprocessing with { MinCount = 2 },
            Training = baseline.Training with { BatchSize = 256, LearningRate = 0.005 },
        };

        var saved = new List<SweepReport>();
        var trained = new List<string>();
        SweepReport report = HyperparameterSweep.Run(request, "dropout", ["1.0", "0.5"], seeds: 2, tag =>
        {
            trained.Add(tag);
            return [];
        }, TestContext.Current.CancellationToken, progress: saved.Add);

        // Saved after every member; the base model's dropout (rate 0.5 = keep 0.5) is the baseline though listed second.
        Assert.Equal([1, 2, 3, 4], saved.Select(r => r.Members.Count));
        Assert.Equal(["dropout-1-0-seed3", "dropout-1-0-seed4", "dropout-0-5-seed3", "dropout-0-5-seed4"], trained);
        Assert.Equal("0.5", report.Baseline);
        Assert.Equal([3, 4], report.Seeds);
        Assert.Equal(["1.0", "0.5"], report.Rows.Select(r => r.Value));
        Assert.All(report.Rows, r =>
        {
            Assert.Equal(2, r.Auc.Count);
            Assert.InRange(r.Auc.Mean, 0.55, 1.0);
            Assert.True(r.Auc.Std > 0 && r.LogLoss.Std > 0, "two seeds differ");
        });
        Assert.All(report.Members, m => Assert.True(File.Exists(m.ModelPath)));
        Assert.Equal(0f, ModelArtifact.Load(report.Members[0].ModelPath).Config.Dropout);

        string md = SweepMarkdown.Render(report, "t");
        Assert.Contains("| dropout keep probability | hidden |", md);
        Assert.Contains("| 0.5 | 16×16 | 2 |", md);
        Assert.Contains("| baseline |", md);
        string row = md.Split('\n').Single(line => line.StartsWith("| 1.0 |", StringComparison.Ordinal));
        Assert.Matches(@"\| (<0\.001|[01]\.\d{3})( \*)? \|", row);

        string figures = dir.File("figures");
        Assert.Equal(2, StudyFigures.Write(report, figures).Count);
        foreach (string name in (string[])["sweep-auc", "sweep-logloss"])
        {
            Assert.True(File.Exists(Path.Combine(figures, name + ".svg")), name);
            Pixels.AssertNotBlank(Path.Combine(figures, name + ".png"));
        }

        // Resuming a finished sweep trains nothing and gives the same members; a member whose file is gone is trained again.
        trained.Clear();
        SweepReport resumed = HyperparameterSweep.Run(request, "dropout", ["1.0", "0.5"], seeds: 2, tag =>
        {
            trained.Add(tag);
            return [];
        }, TestContext.Current.CancellationToken, resumeFrom: report);
        Assert.Empty(trained);
        Assert.Equal(report.Members, resumed.Members);
        File.Delete(report.Members[3].ModelPath);
        HyperparameterSweep.Run(request, "dropout", ["1.0", "0.5"], seeds: 2, tag =>
        {
            trained.Add(tag);
            return [];
        }, TestContext.Current.CancellationToken, resumeFrom: report);
        Assert.Equal(["dropout-0-5-seed4"], trained);

        var error = Assert.Throws<InvalidDataException>(() => HyperparameterSweep.Run(request, "width", ["8"], seeds: 1,
            cancellationToken: TestContext.Current.CancellationToken, resumeFrom: report));
        Assert.Contains("cannot resume", error.Message);
    }
}
