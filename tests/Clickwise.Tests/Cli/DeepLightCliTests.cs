using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class DeepLightCliTests
{
    private static readonly string[] Small =
        ["--epochs", "2", "--prune-warmup", "1", "--hidden", "16,16", "--embedding-dim", "4", "--batch-size", "512", "--requests", "200",
         "--ensemble-models", "1", "--no-size-matched", "--min-count", "2"];

    [Fact]
    public void NfmRunsThePapersSNfmSettingWritesFiguresAndResumesWithoutTraining()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), output = dir.File("study");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "3", "-o", data);
        CliResult first = CliRunner.Expect(0, ["deeplight", "-d", data, "--model", "nfm", "-o", output, .. Small]);
        Assert.Contains("| sNFM | D-98% & F-40% | 16×16 |", first.Out);
        Assert.Contains("training: sNFM", first.Error);
        foreach (string figure in (string[])["deeplight-auc-latency", "deeplight-auc-bytes", "deeplight-curves"])
        {
            Assert.True(File.Exists(Path.Combine(output, figure + ".svg")), figure);
            Experiments.Figures.Pixels.AssertNotBlank(Path.Combine(output, figure + ".png"));
        }

        // Everything was saved: a resumed run trains nothing and prints the same tables.
        string json = File.ReadAllText(Path.Combine(output, "deeplight.json"));
        CliResult resumed = CliRunner.Expect(0, ["deeplight", "-d", data, "--model", "nfm", "-o", output, "--resume", .. Small]);
        Assert.DoesNotContain("training:", resumed.Error);
        Assert.Equal(first.Out, resumed.Out);
        Assert.Equal(json, File.ReadAllText(Path.Combine(output, "deeplight.json")));
    }

    [Fact]
    public void ASweepOfSettingsDrawsAucAndLatencyAgainstTheSweptSparsity()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), output = dir.File("sweep");
        CliRunner.Expect(0, "synth", "--rows", "2000", "--seed", "3", "-o", data);
        CliResult sweep = CliRunner.Expect(0, ["deeplight", "-d", data, "--settings", "D-50%,D-90%", "-o", output, "--no-embedding-matched", .. Small]);
        Assert.Contains("| D-90% | D-90% |", sweep.Out);
        Assert.Contains("vs D sparsity", File.ReadAllText(Path.Combine(output, "deeplight-sweep.svg")));
        Experiments.Figures.Pixels.AssertNotBlank(Path.Combine(output, "deeplight-sweep.png"));
    }

    [Fact]
    public void AModelThePaperDoesNotPruneNeedsSettings()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv");
        CliRunner.Expect(0, "synth", "--rows", "500", "--seed", "3", "-o", data);
        Assert.Contains("give its settings with --settings", CliRunner.Expect(2, "deeplight", "-d", data, "--model", "fm", "-o", dir.File("s")).Error);
        Assert.Contains("--settings: ", CliRunner.Expect(2, "deeplight", "-d", data, "--settings", "D-80%,Q-3%", "-o", dir.File("s")).Error);
    }
}
