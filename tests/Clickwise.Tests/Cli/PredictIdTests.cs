using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary><c>predict --id-column</c>: id TAB prediction, one line per input line, a skipped line keeping its id.</summary>
[Collection(CliCollection.Name)]
public sealed class PredictIdTests
{
    [Fact]
    public void EachLineCarriesItsIdAndABadLineKeepsIt()
    {
        using var dir = new TempDirectory();
        string data = dir.File("a.csv"), model = dir.File("m.cwm"), bad = dir.File("bad.csv");
        CliRunner.Expect(0, "synth", "--profile", "avazu", "--rows", "400", "--seed", "3", "-o", data);
        CliRunner.Expect(0, "train", "-d", data, "--preset", "avazu", "-a", "lr", "--epochs", "1", "--batch-size", "64", "--min-count", "1",
            "-o", model, "--quiet");
        string[] lines = File.ReadAllLines(data);
        lines[10] = "1234567,not,enough,columns";
        File.WriteAllLines(bad, lines);
        string[] ids = [.. lines.Skip(1).Select(l => l[..l.IndexOf(',')])];

        foreach (string column in (string[])["id", "0"])
        {
            string output = dir.File($"p-{column}.txt");
            CliRunner.Expect(0, "predict", "-m", model, "-d", bad, "-o", output, "--id-column", column, "--skip-bad", "--max-bad-ratio", "0.1");
            string[] predicted = File.ReadAllLines(output);
            Assert.Equal(ids, predicted.Select(l => l.Split('\t')[0]));
            Assert.Equal("1234567\tnan", predicted[9]);
            Assert.All(predicted.Where((_, i) => i != 9), l => Assert.InRange(double.Parse(l.Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture), 0, 1));
        }

        CliResult stdout = CliRunner.Expect(0, "predict", "-m", model, "-d", data, "-o", "-", "--id-column", "id");
        Assert.Equal(ids[0], stdout.Out.Split('\n')[0].Split('\t')[0]);
        Assert.Equal(400, stdout.Out.TrimEnd('\n').Split('\n').Length);
        Assert.Contains("no id column 'nosuch'", CliRunner.Expect(65, "predict", "-m", model, "-d", data, "-o", "-", "--id-column", "nosuch").Error);
    }
}
