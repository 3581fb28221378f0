using System.Text.Json;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary><c>clickwise lowrank</c> end to end on small synthetic data: every row it promises, and exactness where it must hold.</summary>
[Collection(CliCollection.Name)]
public sealed class LowRankStudyTests
{
    [Fact]
    public void FullRankAfmWithoutTheReluScoresAsTheBaseAndEveryStageIsReported()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), output = dir.File("study");
        CliRunner.Expect(0, "synth", "--rows", "5000", "--seed", "3", "-o", data);
        CliResult result = CliRunner.Expect(0, "lowrank", "-d", data, "--model", "deepfm", "--epochs", "1", "--embedding-dim", "4",
            "--hidden", "16,16,16", "--batch-size", "256", "--lr", "0.003", "--mlp-rank", "0,16,16", "--relu-ablation", "--mlp-ranks", "4",
            "--embedding-rank", "4", "--emb-ranks", "2", "--tt-rank", "4096",
            "--requests", "100", "--quiet", "-o", output);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "lowrank.json")));
        JsonElement[] rows = [.. json.RootElement.GetProperty("rows").EnumerateArray()];
        string[] labels = [.. rows.Select(r => $"{r.GetProperty("label").GetString()} {r.GetProperty("stage").GetString()}")];
        Assert.Equal(
            ["base —", "control (base + 1 FT epoch) FT", "AFM MLP PT", "AFM MLP FT", "AFM MLP + EMB PT", "AFM MLP + EMB FT",
             "SVD MLP PT", "SVD MLP FT", "AFM EMB PT", "AFM EMB FT", "SVD EMB PT", "SVD EMB FT", "TT EMB PT", "TT EMB FT",
             "QR EMB —", "AFM MLP without the inner ReLU PT", "AFM MLP without the inner ReLU FT", "SVD MLP with the inner ReLU PT",
             "SVD MLP with the inner ReLU FT", "AFM MLP k = 4 PT", "AFM MLP k = 4 FT",
             "AFM EMB k = 2 PT", "AFM EMB k = 2 FT"], labels);

        double AucOf(string label) => rows.Single(r => $"{r.GetProperty("label").GetString()} {r.GetProperty("stage").GetString()}" == label)
            .GetProperty("test_auc").GetDouble();
        Assert.Equal(AucOf("base —"), AucOf("AFM MLP without the inner ReLU PT"), 4);    // full rank, no ReLU: the same model
        Assert.Equal(AucOf("base —"), AucOf("SVD MLP PT"), 4);
        Assert.Equal(AucOf("base —"), AucOf("AFM EMB PT"), 4);                          // k = D: exact
        Assert.Equal(AucOf("base —"), AucOf("SVD EMB PT"), 4);
        Assert.Equal(AucOf("base —"), AucOf("TT EMB PT"), 4);                           // ranks above the full TT ranks: exact
        Assert.InRange(AucOf("base —"), 0.55, 1.0);                                     // it learned something to compress
        long ParamsOf(string label) => rows.First(r => r.GetProperty("label").GetString() == label).GetProperty("parameters").GetInt64();
        Assert.True(ParamsOf("AFM MLP k = 4") < ParamsOf("base"));
        Assert.True(ParamsOf("QR EMB") < ParamsOf("base")); // sized to AFM EMB at k = D: the QR table nearest the whole one
        Assert.StartsWith("qr m ", rows.Single(r => r.GetProperty("label").GetString() == "QR EMB").GetProperty("ranks").GetString());
        Assert.Contains("## Singular values holding 90/95/99% of their sum", result.Out);
        Assert.True(File.Exists(Path.Combine(output, "lowrank.md")));
    }

    [Fact]
    public void SeveralModelsShareOneTable2AndEachSeedRepeatsTheBaselines()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), output = dir.File("study");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "5", "-o", data);
        CliResult result = CliRunner.Expect(0, "lowrank", "-d", data, "--models", "deepfm,nfm", "--epochs", "1", "--embedding-dim", "4",
            "--hidden", "8,8", "--batch-size", "256", "--lr", "0.003", "--mlp-rank", "0,4", "--embedding-rank", "2", "--seeds", "2",
            "--ft-batch-size", "512", "--ft-lr", "0.002", "--requests", "100", "--quiet", "-o", output);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "lowrank.json")));
        JsonElement[] reports = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(["deepfm", "nfm"], reports.Select(r => r.GetProperty("model").GetString()));
        foreach (JsonElement report in reports)
        {
            JsonElement[] rows = [.. report.GetProperty("rows").EnumerateArray()];
            // Table 4's AFM and SVD rows come with every seed, so AFM ≥ SVD is judged on means.
            Assert.Equal(2, rows.Count(r => r.GetProperty("label").GetString() == "SVD EMB" && r.GetProperty("stage").GetString() == "PT"));
            Assert.Equal(2, rows.Select(r => r.GetProperty("seed").GetInt32()).Distinct().Count());
        }

        foreach (string model in new[] { "deepfm", "nfm" })
        {
            foreach (string variant in new[] { "base", "control (base + 1 FT epoch)", "+AFM MLP (FT)", "+AFM MLP + EMB (FT)" })
            {
                Assert.Contains($"| {model} | {variant} |", result.Out);
            }
        }

        Assert.Contains("## Models × base / +AFM MLP / +AFM EMB (paper Table 2)", result.Out);
        CliRunner.Expect(2, "lowrank", "-d", data, "--models", "deepfm,nope", "-o", dir.File("bad"));
        CliRunner.Expect(2, "lowrank", "-d", data, "--model", "deepfm", "--ft-lr", "0", "-o", dir.File("bad"));
        CliRunner.Expect(2, "lowrank", "-d", data, "--model", "deepfm", "--qr-collisions", "1", "-o", dir.File("bad"));
    }

    [Fact]
    public void PruneAddsTheCombinedRowsWithTheirNonZeroParameters()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), output = dir.File("study");
        CliRunner.Expect(0, "synth", "--rows", "5000", "--seed", "3", "-o", data);
        CliRunner.Expect(0, "lowrank", "-d", data, "--model", "deepfwfm", "--epochs", "1", "--embedding-dim", "4", "--hidden", "16,16,16",
            "--batch-size", "256", "--lr", "0.003", "--mlp-rank", "0,8,8", "--embedding-rank", "2", "--no-svd", "--tt-rank", "0", "--requests", "100",
            "--prune", "dnn=0.9,r=0.9,emb=0.4", "--quiet", "-o", output);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "lowrank.json")));
        JsonElement[] rows = [.. json.RootElement.GetProperty("rows").EnumerateArray()];
        const string targets = "D-90% & R-90% & F-40%";
        string[] labels = [.. rows.Select(r => $"{r.GetProperty("label").GetString()} {r.GetProperty("stage").GetString()}")];
        Assert.Equal(
            ["base —", "control (base + 1 FT epoch) FT", "AFM MLP PT", "AFM MLP FT", "AFM MLP + EMB PT", "AFM MLP + EMB FT",
             "AFM EMB PT", "AFM EMB FT", "QR EMB —", $"AFM MLP + EMB → DeepLight {targets} FT", $"DeepLight {targets} FT",
             $"DeepLight {targets} → AFM MLP PT", $"DeepLight {targets} → AFM MLP FT",
             $"DeepLight {targets} → AFM MLP + EMB PT", $"DeepLight {targets} → AFM MLP + EMB FT"], labels);

        JsonElement Row(string label) => rows.Single(r => $"{r.GetProperty("label").GetString()} {r.GetProperty("stage").GetString()}" == label);
        long Parameters(string label) => Row(label).GetProperty("parameters").GetInt64();
        // Pruning the AFM model removes 90% of its factors' and first layer's weights and 40% of its k-wide table: far fewer non-zeros.
        Assert.True(Parameters($"AFM MLP + EMB → DeepLight {targets} FT") < Parameters("AFM MLP + EMB FT") * 0.6,
            $"{Parameters($"AFM MLP + EMB → DeepLight {targets} FT")} vs {Parameters("AFM MLP + EMB FT")}");
        Assert.True(Parameters($"DeepLight {targets} FT") < Parameters("base —") * 0.7);
        Assert.Equal("mlp 0,8,8 emb 2", Row($"AFM MLP + EMB → DeepLight {targets} FT").GetProperty("ranks").GetString());
    }
}
