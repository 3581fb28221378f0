using System.Globalization;
using System.Text.RegularExpressions;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>The main job at CI's smoke-test size (~4 s here): every step runs and the report has every line.</summary>
[Collection(CliCollection.Name)]
public sealed class QuickstartTests
{
    [Fact]
    public void ASmallQuickstartRunsEveryStepAndPrintsTheReport()
    {
        using var dir = new TempDirectory();
        string work = dir.File("qs");
        CliResult result = CliRunner.Expect(0, "quickstart", "--rows", "20000", "--epochs", "1", "--workdir", work);
        string output = result.Out;
        foreach (string step in new[] { "1/5 synth", "2/5 train deepfwfm", "3/5 reload", "4/5 predict", "5/5 measure" })
        {
            Assert.Contains(step, output);
        }

        Assert.Contains("Clickwise quickstart report", output);
        Assert.Contains(", 1 epoch)", output); // not "1 epochs"
        Assert.DoesNotContain("1 epochs", output);
        Assert.Contains("rows           20,000 (train ", output);
        Match auc = Regex.Match(output, @"test AUC\s+(0\.\d+)\s+\(teacher ceiling (0\.\d+)\)");
        Assert.True(auc.Success, output);
        double model = double.Parse(auc.Groups[1].Value, CultureInfo.InvariantCulture);
        double teacher = double.Parse(auc.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.InRange(model, 0.55, teacher); // 1 epoch of the full preset on 16k rows learns little, but something
        Assert.Matches(@"test logloss\s+0\.\d+", output);
        Assert.Matches(@"parameters\s+[\d,]+", output);
        Assert.Matches(@"train speed\s+[\d,]+ samples/s \(\d threads\)", output);
        Assert.Matches(@"predict\s+batch 1: p50 [\d.]+ µs, p99 [\d.]+ µs; batch 10,000: [\d,]+ samples/s", output);

        Assert.True(File.Exists(Path.Combine(work, "model.cwm")));
        Assert.Equal(10_000, File.ReadLines(Path.Combine(work, "predictions.txt")).Count());
        Assert.Single(File.ReadLines(Path.Combine(work, "run", "metrics.jsonl")));
        Assert.Equal("", result.Error);
    }
}
