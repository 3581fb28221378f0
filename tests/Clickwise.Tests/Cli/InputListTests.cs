using System.Security.Cryptography;
using System.Text.Json;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// <c>-d a,b</c> and <c>-d 'day_*.tsv'</c> on prepare, train, eval and predict: one stream in order, every source recorded
/// by <c>prepare</c> (path, size, SHA-256), one prediction per input line across the files.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class InputListTests
{
    [Fact]
    public void AGlobAndAListAreOneDatasetEverywhere()
    {
        using var dir = new TempDirectory();
        string[] days = [dir.File("day_1.tsv"), dir.File("day_2.tsv"), dir.File("day_10.tsv")];
        for (int i = 0; i < days.Length; i++)
        {
            CliRunner.Expect(0, "synth", "--rows", "1000", "--seed", (i + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", days[i]);
        }

        string glob = dir.File("day_*.tsv"), list = string.Join(',', days), prepared = dir.File("prepared");
        CliResult prepare = CliRunner.Expect(0, "prepare", "-d", glob, "-o", prepared, "--min-count", "2");
        Assert.Contains("prepared 3,000 rows", prepare.Out);
        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(prepared, "cache", "prepared.json"))))
        {
            JsonElement[] sources = [.. manifest.RootElement.GetProperty("sources").EnumerateArray()];
            Assert.Equal(days.Select(Path.GetFullPath), sources.Select(s => s.GetProperty("path").GetString()));
            Assert.All(sources, s => Assert.Equal("train", s.GetProperty("role").GetString()));
            Assert.Equal(new FileInfo(days[2]).Length, sources[2].GetProperty("bytes").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(days[2]))), sources[2].GetProperty("sha256").GetString());
        }

        string model = dir.File("m.cwm");
        CliResult train = CliRunner.Expect(0, "train", "-d", list, "-o", model, "--model", "lr", "--epochs", "1", "--batch-size", "256",
            "--min-count", "2", "--quiet");
        Assert.Contains("rows 3,000", train.Out);

        CliResult eval = CliRunner.Expect(0, "eval", "-m", model, "-d", $"{days[1]},{days[2]}");
        Assert.Contains("rows 2,000", eval.Out);

        File.AppendAllText(days[0], "1\tbroken\n");
        string predictions = dir.File("p.txt");
        CliRunner.Expect(0, "predict", "-m", model, "-d", glob, "-o", predictions, "--skip-bad", "--max-bad-ratio", "0.01");
        string[] lines = File.ReadAllLines(predictions);
        Assert.Equal(3001, lines.Length);
        Assert.Equal("nan", lines[1000]);
        Assert.DoesNotContain("nan", lines[1001]);

        CliResult strict = CliRunner.Expect(65, "eval", "-m", model, "-d", glob);
        Assert.Contains($"{days[0]}:1001:", strict.Error);
        CliResult missing = CliRunner.Expect(66, "eval", "-m", model, "-d", dir.File("none_*.tsv"));
        Assert.Contains("no file matches", missing.Error);
    }
}
