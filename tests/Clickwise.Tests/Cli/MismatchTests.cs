using System.Globalization;
using Clickwise.IO;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// Issue 17, class 4, mismatches were accepted: a model trained on one format scored data of another with exit 0 (AUC
/// at chance); <c>--resume</c> never compared the checkpoint's learning rate; a libffm row with field 99 made a
/// 100-field model, and a valid file lacking the highest field was refused; a header config contradicting the tensor
/// shapes loaded and <c>inspect</c> printed the wrong architecture.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class MismatchTests : IDisposable
{
    private const int DataError = 65;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// 1,000 libffm rows of <paramref name="fields"/> fields whose field 0 decides the label mostly; <paramref name="edit"/>
    /// may rewrite a line (1-based number, text).
    /// </summary>
    private string Libffm(string name, int fields, Func<int, string, string>? edit = null)
    {
        var random = new Random(3);
        var lines = new string[1000];
        for (int i = 0; i < lines.Length; i++)
        {
            int first = random.Next(10);
            int label = (first < 4) ^ (random.NextDouble() < 0.15) ? 1 : 0;
            var tokens = Enumerable.Range(0, fields).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f}:{(f == 0 ? first : random.Next(20))}:1"));
            string line = $"{label} {string.Join(' ', tokens)}";
            lines[i] = edit is null ? line : edit(i + 1, line);
        }

        string path = _directory.File(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private string Train(string data, string format, params string[] extra)
    {
        string model = _directory.File(Path.GetFileNameWithoutExtension(data) + ".cwm");
        CliRunner.Expect(0, ["train", "-d", data, "--format", format, "--model", "fm", "--epochs", "1", "--batch-size", "64",
            "--embedding-dim", "4", "-o", model, "--quiet", .. extra]);
        return model;
    }

    [Fact]
    public void AModelScoresOnlyDataOfItsOwnSparseFormat()
    {
        string data = Libffm("five.ffm", 5);
        string model = Train(data, "libffm");

        // The same file read as libsvm would be features of other meanings; libsvm data read for it likewise.
        CliResult asLibsvm = CliRunner.Expect(DataError, "eval", "-m", model, "-d", data, "--format", "libsvm");
        Assert.Contains("the model was trained on libffm data, and --format libsvm reads other features from a line", asLibsvm.Error);
        CliRunner.Expect(DataError, "predict", "-m", model, "-d", data, "--format", "libsvm", "-o", _directory.File("p.txt"));
        Assert.False(File.Exists(_directory.File("p.txt")));

        // Its own format, typed or not, scores.
        CliRunner.Expect(0, "eval", "-m", model, "-d", data, "--format", "libffm");
        CliRunner.Expect(0, "eval", "-m", model, "-d", data);
    }

    [Fact]
    public void ATypoFieldIdIsABadLineNotAHundredFieldModel()
    {
        string data = Libffm("typo.ffm", 18, (n, line) => n == 7 ? line.Replace(" 3:", " 99:", StringComparison.Ordinal) : line);
        string model = _directory.File("typo.cwm");
        CliResult typo = CliRunner.Expect(DataError, "train", "-d", data, "--format", "libffm", "--model", "fm", "--epochs", "1", "-o", model, "--quiet");
        Assert.StartsWith($"clickwise: {data}:7: field 99 makes 100 fields, but 81 of them never occur in the first 1,000 lines", typo.Error, StringComparison.Ordinal);
        Assert.Contains("--fields 100", typo.Error);
        Assert.False(File.Exists(model));

        // Skipping bad lines, the typo is one: the width is the fields the data really has.
        CliResult lenient = CliRunner.Expect(0, "train", "-d", data, "--format", "libffm", "--model", "fm", "--epochs", "1", "-o", model, "--quiet", "--skip-bad", "--max-bad-ratio", "0.01");
        Assert.Contains("lines=1000, parsed=999, skipped=1 (field out of range (declared 18 fields)=1)", lenient.Out);
        Assert.Contains("features: 18 fields", CliRunner.Expect(0, "inspect", "-m", model).Out);

        // Declared, the width is the user's: 100 fields.
        Train(data, "libffm", "--fields", "100");
        Assert.Contains("features: 100 fields", CliRunner.Expect(0, "inspect", "-m", _directory.File("typo.cwm")).Out);
    }

    [Fact]
    public void FilesNumberedFromOneOrMissingARareFieldStillInferTheirWidth()
    {
        string oneBased = Libffm("one.ffm", 6, (_, line) => line.Replace(" 0:", " 6:", StringComparison.Ordinal));
        Train(oneBased, "libffm");
        Assert.Contains("features: 7 fields", CliRunner.Expect(0, "inspect", "-m", _directory.File("one.cwm")).Out);
    }

    [Fact]
    public void DataLackingTheModelsHighestFieldScoresAndAFieldPastItIsABadLine()
    {
        string model = Train(Libffm("six.ffm", 6), "libffm");
        string lacking = Libffm("lacking.ffm", 5);
        CliResult eval = CliRunner.Expect(0, "eval", "-m", model, "-d", lacking, "--json");
        Assert.Contains("\"rows\": 1000", eval.Out);

        string wider = Libffm("wider.ffm", 6, (n, line) => n == 12 ? line + " 6:1:1" : line);
        CliResult strict = CliRunner.Expect(DataError, "eval", "-m", model, "-d", wider);
        Assert.StartsWith($"clickwise: {wider}:12: field out of range (declared 6 fields)", strict.Error, StringComparison.Ordinal);
        CliResult lenient = CliRunner.Expect(0, "eval", "-m", model, "-d", wider, "--skip-bad");
        Assert.Contains("lines=1000, parsed=999, skipped=1", lenient.Out + lenient.Error);
    }

    [Fact]
    public void ResumingWithAnotherLearningRateOrOptimizerSettingIsRefusedNamingIt()
    {
        string data = Libffm("resume.ffm", 4);
        string model = Train(data, "libffm", "--lr", "0.001");
        string[] resume = ["train", "-d", data, "--format", "libffm", "--model", "fm", "--epochs", "2", "--batch-size", "64",
            "--embedding-dim", "4", "-o", model, "--quiet", "--resume", model + ".run"];

        CliResult lr = CliRunner.Expect(DataError, [.. resume, "--lr", "0.01"]);
        Assert.Contains("written with other training settings than this run's (learning_rate 0.001 → 0.01)", lr.Error);
        CliResult l2 = CliRunner.Expect(DataError, [.. resume, "--lr", "0.001", "--set", "training.l2_net=0.1"]);
        Assert.Matches(@"\(l2_net [0-9.E-]+ → 0\.1\)", l2.Error);

        // More epochs is the point of resuming.
        CliRunner.Expect(0, [.. resume, "--lr", "0.001"]);
    }

    [Fact]
    public void AHeaderConfigContradictingTheTensorsIsRefusedByEveryReader()
    {
        string data = Libffm("shape.ffm", 4);
        string path = _directory.File("deep.cwm");
        CliRunner.Expect(0, "train", "-d", data, "--format", "libffm", "--model", "deepfm", "--hidden", "16,8", "--epochs", "1",
            "--batch-size", "64", "--embedding-dim", "4", "-o", path, "--quiet");

        ModelFileContent content = ModelFileReader.Read(path);
        string lying = _directory.File("lying.cwm");
        var config = System.Text.Json.Nodes.JsonNode.Parse(content.ConfigJson)!;
        Assert.Equal("[16,8]", config["hidden_units"]!.ToJsonString());
        config["hidden_units"] = new System.Text.Json.Nodes.JsonArray(8, 16);
        ModelFileWriter.Write(lying, content with { ConfigJson = config.ToJsonString() }); // checksum-valid, and it lies

        foreach (string[] command in new[] { new[] { "inspect", "-m", lying }, ["eval", "-m", lying, "-d", data], ["predict", "-m", lying, "-d", data, "-o", "-"] })
        {
            CliResult refused = CliRunner.Expect(DataError, command);
            Assert.Contains($"{lying}: the model config does not describe the file's tensors", refused.Error);
            Assert.Contains("mlp.0.weight", refused.Error);
        }
    }
}
