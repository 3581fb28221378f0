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
             "AFM MLP without the inner ReLU PT", "AFM MLP without the inner ReLU FT", "AFM MLP k = 4 PT", "AFM MLP k = 4 FT",
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
        Assert.Contains("## Singular values holding 90/95/99% of their sum", result.Out);
        Assert.True(File.Exists(Path.Combine(output, "lowrank.md")));
    }
}
