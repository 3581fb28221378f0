using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class SweepCliTests
{
    private static readonly string[] Small =
        ["--model", "deepfm", "--epochs", "1", "--hidden", "16,16,16", "--embedding-dim", "4", "--batch-size", "256", "--min-count", "2",
         "--seeds", "2", "--seed", "5"];

    [Fact]
    public void AShapeSweepWritesTablesFiguresAndPValuesAndResumesWithoutTraining()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), output = dir.File("sweep");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "3", "-o", data);
        CliResult first = CliRunner.Expect(0, ["sweep", "-d", data, "-o", output, "--vary", "shape", "--values", "constant,diamond", .. Small]);
        Assert.Contains("| network shape | hidden | seeds |", first.Out);
        Assert.Contains("| constant | 16×16×16 | 2 |", first.Out);
        Assert.Contains("| diamond | 12×24×12 | 2 |", first.Out);
        Assert.Contains("| baseline |", first.Out);
        Assert.Contains("training: shape-diamond-seed6", first.Error);
        Assert.Equal(first.Out.TrimEnd(), File.ReadAllText(Path.Combine(output, "sweep.md")).TrimEnd());
        Assert.Contains("\"members\"", File.ReadAllText(Path.Combine(output, "sweep.json")));
        foreach (string figure in (string[])["sweep-auc", "sweep-logloss"])
        {
            Assert.True(File.Exists(Path.Combine(output, figure + ".svg")), figure);
            Experiments.Figures.Pixels.AssertNotBlank(Path.Combine(output, figure + ".png"));
        }

        string json = File.ReadAllText(Path.Combine(output, "sweep.json"));
        CliResult resumed = CliRunner.Expect(0, ["sweep", "-d", data, "-o", output, "--vary", "shape", "--values", "constant,diamond", "--resume", .. Small]);
        Assert.DoesNotContain("training:", resumed.Error);
        Assert.Equal(first.Out, resumed.Out);
        Assert.Equal(json, File.ReadAllText(Path.Combine(output, "sweep.json")));
    }

    [Fact]
    public void BadVaryOrValuesExitTwo()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv");
        CliRunner.Expect(0, "synth", "--rows", "500", "--seed", "3", "-o", data);
        Assert.Contains("unknown setting 'lr' in --vary", CliRunner.Expect(2, "sweep", "-d", data, "-o", dir.File("s"), "--vary", "lr").Error);
        Assert.Contains("--values: dropout keep probability '0' is not in (0, 1]",
            CliRunner.Expect(2, "sweep", "-d", data, "-o", dir.File("s"), "--vary", "dropout", "--values", "1.0,0").Error);
        Assert.Contains("each once", CliRunner.Expect(2, "sweep", "-d", data, "-o", dir.File("s"), "--vary", "width", "--values", "8,8").Error);
        Assert.False(Directory.Exists(dir.File("s")), "nothing written for a bad command line");
    }
}
