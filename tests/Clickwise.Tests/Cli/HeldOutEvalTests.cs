using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// <c>eval --split test</c> finds the rows train tested on again (from a prepared directory or by re-splitting the training
/// text with the saved split), <c>eval</c> on the training file without it warns, and <c>-m/--init</c> keeps the saved split.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class HeldOutEvalTests
{
    private static readonly string[] Settings = ["-a", "lr", "--epochs", "1", "--batch-size", "256", "--min-count", "2", "--quiet"];

    [Theory]
    [InlineData("random")]
    [InlineData("sequential")]
    public void SplitTestOfTheTrainingTextIsTheTestPartTrainReported(string mode)
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), model = dir.File("m.cwm");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "4", "-o", data);
        CliResult train = CliRunner.Expect(0, ["train", "-d", data, "-o", model, "--seed", "7", "--split-mode", mode, .. Settings]);
        (double auc, long rows) = TestPart(train.Out);

        CliResult eval = CliRunner.Expect(0, "eval", "-m", model, "-d", data, "--split", "test", "--json");
        using (var json = JsonDocument.Parse(eval.Out))
        {
            Assert.Equal(rows, json.RootElement.GetProperty("rows").GetInt64());
            Assert.Equal(auc, json.RootElement.GetProperty("auc").GetDouble(), 5);
        }

        Assert.DoesNotContain("warning", eval.Error);
        CliResult all = CliRunner.Expect(0, "eval", "-m", model, "-d", data);
        Assert.Contains($"warning: {data} is data the model was trained on", all.Error);
        Assert.Contains("rows 3,000", all.Out);
    }

    [Fact]
    public void SplitOfAPreparedDirectoryReadsItsCaches()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), prepared = dir.File("prepared"), model = dir.File("m.cwm");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "4", "-o", data);
        CliResult prepare = CliRunner.Expect(0, "prepare", "-d", data, "-o", prepared, "--min-count", "2", "--seed", "5");
        long validRows = long.Parse(Regex.Match(prepare.Out, @"valid ([\d,]+)").Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        CliResult train = CliRunner.Expect(0, ["train", "-d", prepared, "-o", model, .. Settings]);
        (double auc, long rows) = TestPart(train.Out);

        CliResult test = CliRunner.Expect(0, "eval", "-m", model, "-d", prepared);
        Assert.Contains($"rows {rows:N0}  AUC {auc:F5}", test.Out);
        Assert.Contains($"the test part of prepared {prepared}", test.Out);
        CliResult valid = CliRunner.Expect(0, "eval", "-m", model, "-d", prepared, "--split", "valid");
        Assert.Contains($"rows {validRows:N0}  AUC", valid.Out);

        string other = dir.File("other.cwm");
        CliRunner.Expect(0, ["train", "-d", data, "-o", other, "--seed", "6", .. Settings]);
        Assert.Contains("the model was not trained on", CliRunner.Expect(65, "eval", "-m", other, "-d", prepared).Error);
        Assert.Contains("--split wants test, valid or train", CliRunner.Expect(2, "eval", "-m", model, "-d", prepared, "--split", "holdout").Error);
    }

    [Fact]
    public void InitKeepsTheSavedSplitUnlessOneIsNamed()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), model = dir.File("m.cwm");
        CliRunner.Expect(0, "synth", "--rows", "1000", "--seed", "4", "-o", data);
        CliRunner.Expect(0, ["train", "-d", data, "-o", model, "--seed", "7", "--split-mode", "sequential", .. Settings]);

        using (var kept = JsonDocument.Parse(CliRunner.Expect(0, "train", "-d", data, "-m", model, "-o", dir.File("b.cwm"), "--print-config").Out))
        {
            JsonElement preprocessing = kept.RootElement.GetProperty("preprocessing");
            Assert.Equal(7, preprocessing.GetProperty("seed").GetInt32());
            Assert.Equal("sequential", preprocessing.GetProperty("split_mode").GetString());
        }

        using var named = JsonDocument.Parse(CliRunner.Expect(0, "train", "-d", data, "--init", model, "--seed", "3", "-o", dir.File("b.cwm"), "--print-config").Out);
        Assert.Equal(3, named.RootElement.GetProperty("preprocessing").GetProperty("seed").GetInt32());
        Assert.Equal("random", named.RootElement.GetProperty("preprocessing").GetProperty("split_mode").GetString());
    }

    /// <summary>AUC and rows of the split's test part in train's report.</summary>
    private static (double Auc, long Rows) TestPart(string report)
    {
        Match test = Regex.Match(report, @"test AUC (0\.\d+) .*\(([\d,]+) rows\)");
        Assert.True(test.Success, report);
        return (double.Parse(test.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(test.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
    }
}
