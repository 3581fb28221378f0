namespace Clickwise.Tests.Cli;

/// <summary>Help reads like the command a user installs: <c>clickwise</c>, with one default per option.</summary>
[Collection(CliCollection.Name)]
public sealed class CliHelpTests
{
    [Fact]
    public void UsageNamesTheCommandClickwise()
    {
        Assert.Contains("Usage:\n  clickwise [command] [options]", CliRunner.Expect(0, "--help").Out.ReplaceLineEndings("\n"));
        Assert.Contains("Usage:\n  clickwise train [options]", CliRunner.Expect(0, "train", "--help").Out.ReplaceLineEndings("\n"));
        Assert.Matches(@"^\d+\.\d+\.\d+", CliRunner.Expect(0, "--version").Out);
    }

    [Fact]
    public void ThreadsShowsOneDefault()
    {
        string line = CliRunner.Expect(0, "eval", "--help").Out.Split('\n').Single(l => l.TrimStart().StartsWith("--threads", StringComparison.Ordinal));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, "default"));
        Assert.Contains($"[default: {Environment.ProcessorCount}]", line);
    }

    [Fact]
    public void TrainHelpShowsThePresetsDefaults()
    {
        var defaults = new Clickwise.Runs.RunConfig();
        Clickwise.Training.TrainingConfig training = defaults.TrainingFor(null);
        Clickwise.Models.ModelConfig model = defaults.ModelFor(null);
        string help = CliRunner.Expect(0, "train", "--help").Out;
        Assert.Contains($"[default: {training.BatchSize}]", Line(help, "--batch-size"));
        Assert.Contains($"[default: {training.Epochs}]", Line(help, "--epochs"));
        Assert.Contains("[default: 0.001]", Line(help, "--lr"));
        Assert.Contains($"[default: {model.EmbeddingDim}]", Line(help, "--embedding-dim"));
        Assert.Contains($"[default: {model.Name}]", Line(help, "-a, --model"));
        Assert.Contains("[default: the preset's", Line(help, "--format"));
    }

    /// <summary><c>-m</c> is a model file on every verb that takes it; an architecture name there, or a file as the architecture, is refused plainly.</summary>
    [Fact]
    public void DashMIsAModelFileOnEveryVerb()
    {
        foreach (string verb in (string[])["train", "deeplight", "eval", "predict", "inspect", "bench"])
        {
            string line = Line(CliRunner.Expect(0, verb, "--help").Out, "-m, ");
            Assert.Contains("model file", line, StringComparison.OrdinalIgnoreCase);
        }

        using var dir = new DataCache.TempDirectory();
        string data = dir.File("d.tsv"), model = dir.File("m.cwm");
        CliRunner.Expect(0, "synth", "--rows", "300", "-o", data);
        Assert.Contains("'fm' is an architecture name", CliRunner.Expect(2, "eval", "-m", "fm", "-d", data).Error);
        Assert.Contains("name an architecture with train's --model/-a fm", CliRunner.Expect(2, "train", "-d", data, "-m", "fm", "-o", model).Error);
        File.WriteAllText(model, "");
        Assert.Contains($"start from it with -m/--init {model}", CliRunner.Expect(2, "train", "-d", data, "--model", model, "-o", dir.File("x.cwm")).Error);
    }

    [Fact]
    public void PresetAvazuReadsAvazuWhenNoFormatIsGiven()
    {
        using var dir = new DataCache.TempDirectory();
        string data = dir.File("a.csv");
        CliRunner.Expect(0, "synth", "--profile", "avazu", "--rows", "200", "-o", data);
        string config = CliRunner.Expect(0, "train", "-d", data, "--preset", "avazu", "-o", dir.File("m.cwm"), "--print-config").Out;
        using var json = System.Text.Json.JsonDocument.Parse(config);
        Assert.Equal("avazu", json.RootElement.GetProperty("data").GetProperty("reader").GetProperty("format").GetString());
        string typed = CliRunner.Expect(0, "train", "-d", data, "--preset", "avazu", "--format", "criteo", "-o", dir.File("m.cwm"), "--print-config").Out;
        Assert.Contains("\"format\": \"criteo\"", typed);
    }

    private static string Line(string help, string option) =>
        help.Split('\n').First(l => l.TrimStart().StartsWith(option, StringComparison.Ordinal));
}
