using System.Text.Json;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// <c>train -d TRAIN --valid FILE --test FILE…</c>: each role from its own file, in more than one format, every test
/// file reported by name (console, saved model's summary), the files named by a config file, and a run without a test part.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class TrainFilesTests
{
    [Fact]
    public void CriteoTsvTrainsOnTheTrainFileAndReportsEachTestFile()
    {
        using var dir = new TempDirectory();
        string train = dir.File("train.tsv"), valid = dir.File("valid.tsv"), t1 = dir.File("t1.tsv"), t2 = dir.File("t2.tsv");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "4", "-o", train);
        CliRunner.Expect(0, "synth", "--rows", "600", "--seed", "5", "-o", valid);
        CliRunner.Expect(0, "synth", "--rows", "500", "--seed", "6", "-o", t1);
        CliRunner.Expect(0, "synth", "--rows", "400", "--seed", "7", "-o", t2);
        string model = dir.File("m.cwm");
        CliResult result = CliRunner.Expect(0, "train", "-d", train, "--valid", valid, "--test", t1, "--test", t2, "--format", "criteo",
            "--model", "fm", "-o", model, "--epochs", "1", "--embedding-dim", "2", "--batch-size", "256", "--min-count", "2", "--quiet");

        Assert.Contains("rows 3,000 (train 3,000, valid 600 from file, test 900)", result.Out);
        Assert.Matches($@"test {Regex(t1)} AUC 0\.\d+ .*\(500 rows\)", result.Out);
        Assert.Matches($@"test {Regex(t2)} AUC 0\.\d+ .*\(400 rows\)", result.Out);
        Assert.DoesNotContain("NaN", result.Out);
        AssertSummaryNames(model, [t1, t2], [500, 400]);
    }

    [Fact]
    public void LibsvmAndAvazuFilesTakeTheSameRoles()
    {
        using var dir = new TempDirectory();
        var random = new Random(3);
        string[] libsvm = [.. ((string[])["train", "valid", "t1", "t2"]).Select(name => dir.File(name + ".libsvm"))];
        foreach ((string path, int rows) in libsvm.Zip((int[])[600, 200, 150, 100]))
        {
            File.WriteAllLines(path, Enumerable.Range(0, rows).Select(_ =>
                $"{random.Next(2)} {string.Join(' ', Enumerable.Range(0, 4).Select(f => $"{(f * 10) + random.Next(10)}:1"))}"));
        }

        string model = dir.File("libsvm.cwm");
        CliResult result = CliRunner.Expect(0, "train", "-d", libsvm[0], "--valid", libsvm[1], "--test", libsvm[2], "--test", libsvm[3],
            "--format", "libsvm", "--model", "fm", "-o", model, "--epochs", "1", "--embedding-dim", "2", "--batch-size", "64", "--min-count", "1", "--quiet");
        Assert.Contains("(train 600, valid 200 from file, test 250)", result.Out);
        Assert.Matches($@"test {Regex(libsvm[2])} AUC .*\(150 rows\)", result.Out);
        Assert.Matches($@"test {Regex(libsvm[3])} AUC .*\(100 rows\)", result.Out);
        AssertSummaryNames(model, [libsvm[2], libsvm[3]], [150, 100]);

        string[] avazu = [.. ((string[])["train", "valid", "test"]).Select(name => dir.File(name + ".avazu.csv"))];
        CliRunner.Expect(0, "synth", "--profile", "avazu", "--rows", "1500", "--seed", "1", "-o", avazu[0]);
        CliRunner.Expect(0, "synth", "--profile", "avazu", "--rows", "300", "--seed", "2", "-o", avazu[1]);
        CliRunner.Expect(0, "synth", "--profile", "avazu", "--rows", "300", "--seed", "3", "-o", avazu[2]);
        CliResult csv = CliRunner.Expect(0, "train", "-d", avazu[0], "--valid", avazu[1], "--test", avazu[2], "--format", "avazu",
            "--model", "lr", "-o", dir.File("avazu.cwm"), "--epochs", "1", "--batch-size", "256", "--min-count", "2", "--quiet");
        Assert.Matches($@"test {Regex(avazu[2])} AUC 0\.\d+ .*\(300 rows\)", csv.Out);
    }

    [Fact]
    public void AConfigFileNamesTheFilesAndARunWithoutATestPartSaysSo()
    {
        using var dir = new TempDirectory();
        string train = dir.File("train.tsv"), valid = dir.File("valid.tsv"), test = dir.File("test.tsv");
        CliRunner.Expect(0, "synth", "--rows", "2000", "--seed", "4", "-o", train);
        CliRunner.Expect(0, "synth", "--rows", "300", "--seed", "5", "-o", valid);
        CliRunner.Expect(0, "synth", "--rows", "300", "--seed", "6", "-o", test);
        string config = dir.File("files.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            data = new { train, valid, test = new[] { test } },
            model = new { name = "lr" },
            training = new { epochs = 1, batch_size = 256 },
        }));
        CliResult named = CliRunner.Expect(0, "train", "--config", config, "-o", dir.File("files.cwm"), "--quiet");
        Assert.Contains("(train 2,000, valid 300 from file, test 300)", named.Out);
        Assert.Matches($@"test {Regex(test)} AUC", named.Out);

        string noTest = dir.File("no-test.json");
        File.WriteAllText(noTest, """
            { "model": { "name": "lr" }, "training": { "epochs": 1, "batch_size": 256 },
              "preprocessing": { "min_count": 2, "split": { "train": 0.9, "valid": 0.1, "test": 0 } } }
            """);
        CliResult none = CliRunner.Expect(0, "train", "-d", train, "--config", noTest, "-o", dir.File("no-test.cwm"), "--quiet");
        Assert.Contains("test: none (no --test file and split test ratio 0)", none.Out);
        Assert.DoesNotContain("NaN", none.Out);

        CliResult stdinTest = CliRunner.Expect(2, "train", "-d", train, "--test", "-", "-o", dir.File("x.cwm"), "--quiet");
        Assert.Contains("stdin", stdinTest.Error);
    }

    [Fact]
    public void OneSeedWritesOneModelFileByteForByte()
    {
        using var dir = new TempDirectory();
        string data = dir.File("data.tsv");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "4", "-o", data);
        string[] models = [dir.File("a.cwm"), dir.File("b.cwm")];
        foreach (string model in models)
        {
            CliRunner.Expect(0, "train", "-d", data, "-o", model, "--model", "deepfm", "--epochs", "1", "--hidden", "16,16", "--batch-size", "256",
                "--quiet");
        }

        // The header used to carry the measured training speed: a hash could not prove a rerun reproduced the model.
        Assert.Equal(File.ReadAllBytes(models[0]), File.ReadAllBytes(models[1]));
        Assert.Contains("samples_per_sec", File.ReadAllText(models[0] + ".run/metrics.jsonl"));
    }

    [Fact]
    public void ResumeRefusesACheckpointOfAnotherVocabulary()
    {
        using var dir = new TempDirectory();
        string data = dir.File("data.tsv");
        CliRunner.Expect(0, "synth", "--rows", "1500", "--seed", "4", "-o", data);
        // Hashed fields: both vocabularies have the same sizes, so only the check tells them apart.
        string[] configs = [dir.File("seed1.json"), dir.File("seed2.json")];
        for (int i = 0; i < configs.Length; i++)
        {
            File.WriteAllText(configs[i], $$"""
                { "model": { "name": "lr" }, "training": { "epochs": 2, "batch_size": 256 },
                  "preprocessing": { "hash_buckets": 64, "hash_seed": {{i + 1}} } }
                """);
        }

        string first = dir.File("first.cwm");
        CliRunner.Expect(0, "train", "-d", data, "--config", configs[0], "-o", first, "--epochs", "1", "--quiet");
        string checkpoint = first + ".run/checkpoint.cwm";
        CliRunner.Expect(0, "train", "-d", data, "--config", configs[0], "-o", dir.File("same.cwm"), "--resume", checkpoint, "--quiet");
        CliResult other = CliRunner.Expect(65, "train", "-d", data, "--config", configs[1], "-o", dir.File("other.cwm"), "--resume", checkpoint, "--quiet"); // a data error (the checkpoint does not match), not a bug
        Assert.Contains("another vocabulary", other.Error);
    }

    private static string Regex(string path) => System.Text.RegularExpressions.Regex.Escape(path);

    private static void AssertSummaryNames(string model, string[] names, long[] rows)
    {
        CliResult inspect = CliRunner.Expect(0, "inspect", "-m", model, "--json");
        using JsonDocument doc = JsonDocument.Parse(inspect.Out);
        JsonElement tests = doc.RootElement.GetProperty("training").GetProperty("tests");
        Assert.Equal(names, tests.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(rows, tests.EnumerateArray().Select(t => t.GetProperty("rows").GetInt64()));
    }
}
