using System.Text.Json;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary><c>prepare</c> parses once; <c>train</c> and <c>compare</c> on the prepared directory parse nothing.</summary>
[Collection(CliCollection.Name)]
public sealed class PrepareTests
{
    [Fact]
    public void TrainingOnAPreparedDirectoryParsesNothingAndEqualsTrainingOnTheText()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), prepared = dir.File("prepared");
        CliRunner.Expect(0, "synth", "--rows", "6000", "--seed", "4", "-o", data);
        string[] settings = ["--model", "fm", "--epochs", "2", "--embedding-dim", "4", "--batch-size", "256", "--min-count", "3", "--seed", "9", "--quiet"];

        CliRunner.Expect(0, ["train", "-d", data, "-o", dir.File("direct.cwm"), .. settings]);
        CliResult prepare = CliRunner.Expect(0, "prepare", "-d", data, "-o", prepared, "--min-count", "3", "--seed", "9");
        Assert.Contains("prepared 6,000 rows", prepare.Out);

        // The text is gone: anything that still parsed it would fail.
        File.Delete(data);
        CliRunner.Expect(0, ["train", "-d", prepared, "-o", dir.File("reused.cwm"), .. settings]);
        ModelArtifact direct = ModelArtifact.Load(dir.File("direct.cwm")), reused = ModelArtifact.Load(dir.File("reused.cwm"));
        Assert.Equal(direct.FeatureMap.Checksum, reused.FeatureMap.Checksum);
        foreach ((string name, float[] values) in direct.Tensors)
        {
            Assert.True(values.AsSpan().SequenceEqual(reused.Tensors[name]), $"{name} differs between the text and the prepared run");
        }

        // --reading both: a prefetched and a synchronous row per model, their ratio, and (with lr) Fig. 9's time ÷ LR figure.
        CliRunner.Expect(0, "compare", "-d", prepared, "-o", dir.File("compare"), "--models", "lr,fm", "--seeds", "1", "--epochs", "1",
            "--embedding-dim", "4", "--batch-size", "256", "--requests", "100", "--reading", "both");
        string compared = File.ReadAllText(Path.Combine(dir.File("compare"), "compare.md"));
        Assert.Contains("| fm (sync reading) |", compared);
        Assert.Contains("## Asynchronous over synchronous reading", compared);
        Assert.Contains("## Training time normalised by LR", compared);
        Assert.True(File.Exists(Path.Combine(dir.File("compare"), "compare-time-vs-lr.png")));
        CliRunner.Expect(2, "compare", "-d", prepared, "-o", dir.File("compare2"), "--models", "lr", "--reading", "sometimes");

        CliRunner.Expect(0, "deeplight", "-d", prepared, "-o", dir.File("deeplight"), "--model", "deepfwfm", "--epochs", "2", "--prune-warmup", "1",
            "--embedding-dim", "4", "--hidden", "8,8", "--batch-size", "256", "--no-size-matched", "--ensemble-models", "1", "--requests", "100", "--quiet");
        Assert.True(File.Exists(Path.Combine(dir.File("deeplight"), "deeplight.json")));

        // eval and predict on the prepared test part: the rows train reported on, one prediction per row.
        string reusedModel = dir.File("reused.cwm");
        using (JsonDocument eval = JsonDocument.Parse(CliRunner.Expect(0, "eval", "-m", reusedModel, "-d", prepared, "--json").Out))
        {
            long testRows = eval.RootElement.GetProperty("rows").GetInt64();
            Assert.InRange(testRows, 500, 700); // a tenth of 6,000
            string predictions = dir.File("p.txt");
            CliRunner.Expect(0, "predict", "-m", reusedModel, "-d", prepared, "-o", predictions);
            Assert.Equal(testRows, File.ReadLines(predictions).LongCount());
            CliRunner.Expect(0, "predict", "-m", reusedModel, "-d", prepared, "--split", "valid", "-o", dir.File("v.txt"));
            CliRunner.Expect(0, "bench", "-m", reusedModel, "-d", prepared, "--requests", "100", "--batch", "500");
            Assert.NotEqual(testRows, File.ReadLines(dir.File("v.txt")).LongCount());
        }

        CliResult other = CliRunner.Expect(65, "train", "-d", prepared, "-o", dir.File("other.cwm"), "--min-count", "5", "--quiet");
        Assert.Contains("the cache was prepared with other preprocessing (min_count differ)", other.Error);
    }

    [Fact]
    public void AVocabularyBudgetSpillsUnderTheTempDirectoryAndGivesTheSameBytes()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), spill = dir.File("spill"), notADirectory = dir.File("file");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "5", "-o", data);
        File.WriteAllText(notADirectory, "x");

        CliRunner.Expect(0, "prepare", "-d", data, "-o", dir.File("unbounded"), "--vocab-memory", "unbounded", "--threads", "1");
        CliRunner.Expect(0, "prepare", "-d", data, "-o", dir.File("bounded"), "--vocab-memory", "64KB", "--temp-dir", spill, "--threads", "2");

        foreach (string file in new[] { "data.cwcache", "feature_map.json" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("unbounded"), "cache", file)), File.ReadAllBytes(Path.Combine(dir.File("bounded"), "cache", file)));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(spill));
        Assert.Contains("--vocab-memory must be a size such as 256MB or 2GB, got 'lots'",
            CliRunner.Expect(2, "prepare", "-d", data, "-o", dir.File("x"), "--vocab-memory", "lots").Error);
        Assert.Contains($"cannot write the vocabulary's spill files under {notADirectory}",
            CliRunner.Expect(74, "prepare", "-d", data, "-o", dir.File("y"), "--temp-dir", notADirectory).Error);
    }
}
