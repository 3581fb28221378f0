using System.Text.Json;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>The settings a run uses are visible before it starts and kept beside it; every section takes <c>--set</c>.</summary>
[Collection(CliCollection.Name)]
public sealed class EffectiveConfigTests
{
    [Fact]
    public void PrintConfigShowsPresetConfigAndFlagsAndTheRunKeepsIt()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv");
        CliRunner.Expect(0, "synth", "--rows", "2000", "-o", data);
        string config = dir.File("c.json");
        File.WriteAllText(config, """{ "training": { "epochs": 1 }, "preprocessing": { "min_count": 2 } }""");
        string[] args = ["train", "-d", data, "-o", dir.File("m.cwm"), "--config", config, "--model", "dcnv2", "--set", "cross_rank=2",
            "--set", "training.patience=1", "--set", "preprocessing.split.train=0.8", "--set", "preprocessing.split.valid=0.1"];

        CliResult printed = CliRunner.Expect(0, [.. args, "--print-config"]);
        Assert.False(File.Exists(dir.File("m.cwm")), "--print-config trains nothing");
        using (JsonDocument json = JsonDocument.Parse(printed.Out))
        {
            JsonElement root = json.RootElement;
            Assert.Equal(1, root.GetProperty("training").GetProperty("epochs").GetInt32());        // the config file
            Assert.Equal(3e-7, root.GetProperty("training").GetProperty("l2_net").GetDouble());   // the preset, kept
            Assert.Equal(1, root.GetProperty("training").GetProperty("patience").GetInt32());     // --set
            Assert.Equal(2, root.GetProperty("preprocessing").GetProperty("min_count").GetInt32());
            Assert.Equal(0.8, root.GetProperty("preprocessing").GetProperty("split").GetProperty("train").GetDouble());
            Assert.Equal(2, root.GetProperty("model").GetProperty("cross_rank").GetInt32());
            Assert.Equal("criteo", root.GetProperty("data").GetProperty("reader").GetProperty("format").GetString());
        }

        CliRunner.Expect(0, [.. args, "--embedding-dim", "4", "--hidden", "8", "--quiet"]);
        string kept = File.ReadAllText(Path.Combine(dir.File("m.cwm.run"), "effective-config.json"));
        using JsonDocument run = JsonDocument.Parse(kept);
        Assert.Equal(4, run.RootElement.GetProperty("model").GetProperty("embedding_dim").GetInt32());
        Assert.Equal(1, run.RootElement.GetProperty("training").GetProperty("patience").GetInt32());
    }

    [Theory]
    [InlineData("--adam-mode", "dense", "dense")]
    [InlineData("--set", "training.adam_mode=sparse", "sparse")]
    public void AdamModeIsSetByItsFlagOrItsKey(string option, string value, string expected)
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv");
        File.WriteAllText(data, "1\t1\t\t\t\t\t\t\t\t\t\t\t\t\ta\n");
        CliResult printed = CliRunner.Expect(0, "train", "-d", data, "-o", dir.File("m.cwm"), option, value, "--print-config");
        using JsonDocument json = JsonDocument.Parse(printed.Out);
        Assert.Equal(expected, json.RootElement.GetProperty("training").GetProperty("adam_mode").GetString());

        CliResult refused = CliRunner.Expect(2, "train", "-d", data, "-o", dir.File("m.cwm"), "--adam-mode", "eager", "--print-config");
        Assert.Contains("--adam-mode wants one of lazy, dense, sparse, got 'eager'", refused.Error);
    }

    [Theory]
    [InlineData("training.patinece=1", "--set: training has no setting 'patinece'; its settings are epochs, batch_size")]
    [InlineData("training.patience=many", "--set: training.patience takes a number, got 'many'")]
    [InlineData("preprocessing.split.tain=0.8", "--set: preprocessing has no setting 'split.tain'; its settings are train, valid, test")]
    public void ASectionSettingIsRefusedInItsOwnTerms(string setting, string message)
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv");
        File.WriteAllText(data, "1\t1\t\t\t\t\t\t\t\t\t\t\t\t\ta\n");
        CliResult result = CliRunner.Expect(2, "train", "-d", data, "-o", dir.File("m.cwm"), "--set", setting, "--print-config");
        Assert.Contains(message, result.Error);
    }
}
