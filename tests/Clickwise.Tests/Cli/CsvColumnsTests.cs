using System.Globalization;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary><c>--format csv</c> takes its columns from flags: any delimited file trains, evaluates and predicts without a config.</summary>
[Collection(CliCollection.Name)]
public sealed class CsvColumnsTests
{
    private static readonly string[] Columns = ["--format", "csv", "--delimiter", "space", "--columns", "label,user,movie,tag",
        "--categorical", "user,movie,tag"];

    [Fact]
    public void AHeaderlessSpaceSeparatedFileTrainsAndPredictsFromFlags()
    {
        using var dir = new TempDirectory();
        // Label 1 exactly when user and movie have the same parity: a pair interaction an FM learns.
        var random = new Random(4);
        string data = dir.File("pairs.data");
        File.WriteAllLines(data, Enumerable.Range(0, 3000).Select(_ =>
        {
            int user = random.Next(40), movie = random.Next(40), tag = random.Next(30);
            return string.Create(CultureInfo.InvariantCulture, $"{((user + movie) % 2 == 0 ? "1.0" : "0.0")} {user} {movie} {tag}");
        }));
        string model = dir.File("fm.cwm");
        CliResult train = CliRunner.Expect(0, ["train", "-d", data, .. Columns, "--model", "fm", "--embedding-dim", "4", "--epochs", "3",
            "--batch-size", "64", "--min-count", "1", "-o", model]);
        Assert.Contains("rows 3,000", train.Out);

        CliResult eval = CliRunner.Expect(0, ["eval", "-m", model, "-d", data, .. Columns]);
        double auc = double.Parse(eval.Out.Split("AUC ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.True(auc > 0.75, $"the FM should learn the parity pair from the flag-defined columns, AUC {auc}");

        string predictions = dir.File("p.txt");
        CliRunner.Expect(0, ["predict", "-m", model, "-d", data, .. Columns, "-o", predictions]);
        Assert.Equal(3000, File.ReadAllLines(predictions).Length);

        // The model file keeps how it was fed: eval and predict need no format or column flags.
        Assert.Equal(eval.Out, CliRunner.Expect(0, "eval", "-m", model, "-d", data).Out);
        string again = dir.File("p2.txt");
        CliRunner.Expect(0, "predict", "-m", model, "-d", data, "-o", again);
        Assert.Equal(File.ReadAllLines(predictions), File.ReadAllLines(again));
    }

    [Fact]
    public void TrainWarnsWhenTheDataIsTooSmallForTheBatchOrTooRareForTheMinCount()
    {
        using var dir = new TempDirectory();
        string data = dir.File("unique.data");
        // Every user and movie id occurs once: min count 8 sends them all to OOV; 300 rows are far under 20 batches of 2048.
        File.WriteAllLines(data, Enumerable.Range(0, 300).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i % 2}.0 u{i} m{i} t{i % 3}")));
        CliResult train = CliRunner.Expect(0, ["train", "-d", data, .. Columns, "--model", "lr", "--epochs", "1", "-o", dir.File("m.cwm"), "--quiet"]);
        Assert.Contains("warning: the training set has", train.Out);
        Assert.Contains("under 20 batches of 2,048", train.Out);
        Assert.Matches(@"warning: min count 8 sends \d+% of the training lookups to their field's OOV id", train.Out);

        CliResult fitting = CliRunner.Expect(0, ["train", "-d", data, .. Columns, "--model", "lr", "--epochs", "1", "--batch-size", "8",
            "--min-count", "1", "-o", dir.File("m2.cwm"), "--quiet"]);
        Assert.DoesNotContain("warning:", fitting.Out);
    }

    [Fact]
    public void CsvWithoutColumnsIsAUsageErrorThatSaysWhatToGive()
    {
        using var dir = new TempDirectory();
        string data = dir.File("x.csv");
        File.WriteAllLines(data, ["label,a", "1,x"]);
        CliResult result = CliRunner.Expect(2, "train", "-d", data, "--format", "csv", "-o", dir.File("m.cwm"));
        Assert.Contains("--format csv has no fixed columns: name the features with --categorical and/or --numeric", result.Error);

        CliResult headerless = CliRunner.Expect(2, "train", "-d", data, "--format", "csv", "--header", "false", "--categorical", "a",
            "-o", dir.File("m.cwm"));
        Assert.Contains("a csv file without a header needs --columns", headerless.Error);
    }

    [Fact]
    [Trait("Category", SharedData.Category)]
    public void TheMlTagSampleTrainsThroughCsvWithFlagsOnly()
    {
        using var dir = new TempDirectory();
        string data = SharedData.Path("ml_tag_paddlerec_sample/ml-tag-sample.data");
        string model = dir.File("ml-tag.cwm");
        CliResult train = CliRunner.Expect(0, ["train", "-d", data, .. Columns, "--model", "fm", "--embedding-dim", "8", "--epochs", "3",
            "--batch-size", "64", "--min-count", "1", "-o", model]);
        Assert.Contains("rows 1,024", train.Out);
        Assert.Contains("skipped=0", train.Out);
        string predictions = dir.File("p.txt");
        CliRunner.Expect(0, ["predict", "-m", model, "-d", data, .. Columns, "-o", predictions]);
        Assert.Equal(1024, File.ReadAllLines(predictions).Length);
    }
}
