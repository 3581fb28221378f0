using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class EnsembleCliTests
{
    private static readonly string[] Data = ["--min-count", "2"];

    private static readonly string[] Small =
        ["--epochs", "2", "--prune-warmup", "1", "--hidden", "16,16", "--embedding-dim", "4", "--batch-size", "512", "--requests", "200",
         "--ensemble-models", "1", "--no-size-matched", "--no-embedding-matched", .. Data];

    [Fact]
    public void EnsemblesTwoStudiesUnderBudgetsAndWritesItsTableAndFigure()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), deepfm = dir.File("deepfm"), nfm = dir.File("nfm"), output = dir.File("ensemble");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "4", "-o", data);
        CliRunner.Expect(0, ["deeplight", "-d", data, "--model", "deepfm", "-o", deepfm, .. Small]);
        CliRunner.Expect(0, ["deeplight", "-d", data, "--model", "nfm", "-o", nfm, .. Small]);

        CliResult result = CliRunner.Expect(0, ["ensemble", deepfm, nfm, "-d", data, "-o", output, "--budgets", "0.000001,1000000", "--requests", "200", .. Data]);

        Assert.Matches(@"\| deepfm sDeepFM seed \d+ \| deepfm \| D-98% & F-40% \|", result.Out);
        Assert.Matches(@"\| nfm sNFM seed \d+ \| nfm \| D-98% & F-40% \|", result.Out);
        Assert.Contains("| 1000000.0 | ", result.Out);
        Assert.DoesNotContain("| 0.0 | ", result.Out); // no model fits a 1 ps budget
        Assert.True(File.Exists(Path.Combine(output, "ensemble.json")));
        Assert.True(File.Exists(Path.Combine(output, "ensemble-auc-latency.svg")));
        Experiments.Figures.Pixels.AssertNotBlank(Path.Combine(output, "ensemble-auc-latency.png"));
    }

    [Fact]
    public void BadBudgetsAndMissingStudiesAreRefused()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv");
        CliRunner.Expect(0, "synth", "--rows", "500", "--seed", "3", "-o", data);
        Assert.Contains("--budgets: 'fast' is not a positive number", CliRunner.Expect(2, "ensemble", dir.File("x"), "-d", data, "-o", dir.File("e"), "--budgets", "5,fast").Error);
        Assert.Contains("--budgets: '0'", CliRunner.Expect(2, "ensemble", dir.File("x"), "-d", data, "-o", dir.File("e"), "--budgets", "0").Error);
        Assert.Contains("deeplight.json", CliRunner.Expect(66, "ensemble", dir.File("x"), "-d", data, "-o", dir.File("e")).Error);
    }
}
