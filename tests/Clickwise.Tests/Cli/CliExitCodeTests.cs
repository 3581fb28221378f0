using System.IO.Compression;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>Every failure a user can cause ends with one line on stderr and the documented exit code.</summary>
[Collection(CliCollection.Name)]
public sealed class CliExitCodeTests : IClassFixture<CliExitCodeTests.Files>
{
    private const int Usage = 2, DataError = 65, NoInput = 66, IOError = 74;

    private readonly Files _files;

    public CliExitCodeTests(Files files) => _files = files;

    /// <summary>A small synthetic file, a model trained on it (LR: quick) and damaged variants of both.</summary>
    public sealed class Files : IDisposable
    {
        public Files()
        {
            CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "6", "-o", DataPath);
            CliRunner.Expect(0, "train", "-d", DataPath, "--model", "lr", "-o", ModelPath, "--epochs", "1", "--quiet");
            Lines = File.ReadAllLines(DataPath);
        }

        internal TempDirectory Directory { get; } = new();

        public string DataPath => Directory.File("data.tsv");

        public string ModelPath => Directory.File("lr.cwm");

        public string[] Lines { get; }

        public void Dispose() => Directory.Dispose();
    }

    [Theory]
    [InlineData("train", "-d", "{missing}", "-o", "{dir}/m.cwm")]
    [InlineData("eval", "-m", "{model}", "-d", "{missing}")]
    [InlineData("predict", "-m", "{model}", "-d", "{missing}", "-o", "{dir}/p.txt")]
    [InlineData("eval", "-m", "{missing}", "-d", "{data}")]
    [InlineData("inspect", "-m", "{missing}")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--config", "{missing}")]
    public void AMissingFileExits66(params string[] args)
    {
        CliResult result = CliRunner.Expect(NoInput, Expand(args));
        Assert.Contains("no such", result.Error);
        Assert.Contains("nothing-here", result.Error);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--format", "parquet")]
    [InlineData("eval", "-m", "{model}", "-d", "{data}", "--format", "parquet")]
    [InlineData("predict", "-m", "{model}", "-d", "{data}", "-o", "{dir}/p.txt", "--format", "parquet")]
    public void AnUnknownFormatExits2(params string[] args)
    {
        CliResult result = CliRunner.Expect(Usage, Expand(args));
        Assert.Contains("unknown format 'parquet'", result.Error);
        Assert.Contains("criteo", result.Error);
    }

    [Fact]
    public void AModelSettingIsRefusedInTheConfigsTerms()
    {
        string model = _files.Directory.File("m.cwm");
        CliResult absent = CliRunner.Expect(Usage, "train", "-d", _files.DataPath, "-o", model, "--model", "fm", "--set", "cross_layers=2");
        Assert.Equal("clickwise: --set: model 'fm' has no setting 'cross_layers'; its settings are embedding_dim, embedding_rank, embedding_tt_rank, embedding_tt_fields, embedding_qr_collisions, embedding_qr_fields, embedding_qr_op, "
            + "embedding_threshold, embedding_kept_rows, embedding_pruned_rows, embedding_dim_sampling, embedding_field_dims, init_std, seed",
            absent.Error.Trim());

        CliResult wrongKind = CliRunner.Expect(Usage, "train", "-d", _files.DataPath, "-o", model, "--model", "dcnv2", "--set", "cross_rank=two");
        Assert.Equal("clickwise: --set: cross_rank takes a whole number, got \"two\"", wrongKind.Error.Trim());

        CliResult invalid = CliRunner.Expect(Usage, "train", "-d", _files.DataPath, "-o", model, "--model", "xdeepfm", "--cin-layers", "3,2");
        Assert.Equal("clickwise: --cin-layers: cin_split_half needs an even size for every layer but the last, got [3, 2].", invalid.Error.Trim());
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void EvalExplainsAnUndefinedAucAndShowsCalibrationAndPredictCreatesItsOutputDirectory()
    {
        string oneClass = _files.Directory.File("negatives.tsv");
        File.WriteAllLines(oneClass, _files.Lines.Where(l => l.StartsWith('0')).Take(50));
        CliResult eval = CliRunner.Expect(0, "eval", "-m", _files.ModelPath, "-d", oneClass);
        Assert.Contains("AUC is undefined: the data has no positive rows (0 positives of 50)", eval.Out);
        Assert.Contains("calibration (the rows sorted by prediction, in groups of equal size):", eval.Out);
        Assert.Equal(10, eval.Out.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+0\.\d{4}\s+0\.0000\s+5$")));

        string nested = Path.Combine(_files.Directory.File("results"), "day1", "p.txt");
        CliRunner.Expect(0, "predict", "-m", _files.ModelPath, "-d", oneClass, "-o", nested);
        Assert.Equal(50, File.ReadAllLines(nested).Length);
    }

    [Fact]
    public void ARunThatFailsBeforeItsFirstCheckpointLeavesNoRunDirectory()
    {
        string bad = _files.Directory.File("two-columns.tsv");
        File.WriteAllText(bad, "1\tx\n");
        string model = _files.Directory.File("failed.cwm");
        CliRunner.Expect(DataError, "train", "-d", bad, "-o", model);
        Assert.False(Directory.Exists(model + ".run"), "nothing to resume, so no run directory");
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void AnUnknownModelExits2()
    {
        CliResult result = CliRunner.Expect(Usage, "train", "-d", _files.DataPath, "-o", _files.Directory.File("m.cwm"), "--model", "nosuchmodel");
        Assert.Contains("unknown model 'nosuchmodel'", result.Error);
        Assert.Contains("deepfwfm", result.Error);
    }

    [Theory]
    [InlineData("train", "--nope")]
    [InlineData("frobnicate")]
    [InlineData("eval", "-d", "x.tsv")] // -m is required
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--epochs", "many")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--hidden", "64,x")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--threads", "0")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--epochs", "0")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--batch-size", "0")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--lr", "0")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--embedding-dim", "0")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--dropout", "1.5")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--dropout", "NaN")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--skip-bad", "--max-bad-ratio", "NaN")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--hidden", "")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--min-count", "0")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--split-mode", "stratified")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--preset", "deepfm")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--activation", "sigmoid")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--model", "xdeepfm", "--cin-layers", "100,0")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--model", "fibinet", "--bilinear-type", "FieldAll")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--cin-layers", "100,50")] // deepfwfm has no CIN
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--model", "dcnv2", "--set", "cross_rank")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--model", "dcnv2", "--set", "cross_rank=two")]
    [InlineData("predict", "-m", "{model}", "-d", "{data}", "-o", "{dir}/p.txt", "--output-type", "odds")]
    [InlineData("synth", "--profile", "movielens", "-o", "{dir}/s.tsv")]
    [InlineData("quickstart", "--rows", "10")]
    public void BadUsageExits2(params string[] args)
    {
        CliResult result = CliRunner.Expect(Usage, Expand(args));
        Assert.StartsWith("clickwise: ", result.Error);
        Assert.False(File.Exists(_files.Directory.File("m.cwm")));
        Assert.False(Directory.Exists(_files.Directory.File("m.cwm.run")), "rejected before any work");
    }

    [Theory]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--batch-size", "1000000000")]
    [InlineData("train", "-d", "{data}", "-o", "{dir}/m.cwm", "--hidden", "100000000")]
    [InlineData("bench", "-m", "{model}", "--batch", "100000000", "--requests", "100")]
    public void ASizeBeyondWhatFitsExits2NamingIt(params string[] args)
    {
        CliResult result = CliRunner.Expect(Usage, Expand(args));
        Assert.Contains("does not fit", result.Error);
        Assert.Contains("lower the batch size or the model's widths", result.Error);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(_files.Directory.File("m.cwm")));
    }

    [Fact]
    public void ResumingOrFineTuningOnWhatDoesNotMatchIsADataError()
    {
        string model = _files.Directory.File("resumed.cwm");
        CliRunner.Expect(0, "train", "-d", _files.DataPath, "-o", model, "--model", "lr", "--epochs", "1", "--quiet");
        CliResult resume = CliRunner.Expect(DataError, "train", "-d", _files.DataPath, "-o", model, "--model", "lr", "--epochs", "2",
            "--batch-size", "512", "--resume", model + ".run", "--quiet");
        Assert.Contains("written with batch size 2048 and seed 2019; resuming needs the same (got 512 and 2019)", resume.Error);

        string csv = _files.Directory.File("other.csv");
        File.WriteAllLines(csv, ["label,a,b", "1,x,y", "0,z,w", "1,x,w"]);
        CliResult init = CliRunner.Expect(DataError, "train", "-d", csv, "--format", "csv", "--categorical", "a,b", "-m", _files.ModelPath,
            "-o", _files.Directory.File("other.cwm"), "--epochs", "1", "--quiet");
        Assert.Contains("the model was trained on other columns than this data has: the data has 2 fields but the feature specs name 39", init.Error);
    }

    [Fact]
    public void ADirectoryGivenAsDataIsNamedAsOne()
    {
        string folder = _files.Directory.File("a-folder");
        Directory.CreateDirectory(folder);
        CliResult result = CliRunner.Expect(Usage, "train", "-d", folder, "-o", _files.Directory.File("m.cwm"));
        Assert.Contains($"{folder} is a directory, not a data file", result.Error);
    }

    [Fact]
    public void MoreThreadsThanCoresAreCappedAndSaid()
    {
        CliResult result = CliRunner.Expect(0, "train", "-d", _files.DataPath, "-o", _files.Directory.File("threads.cwm"), "--model", "lr",
            "--epochs", "1", "--quiet", "--threads", "1000");
        Assert.Contains($"--threads 1000 is more than the {Environment.ProcessorCount} cores here; using {Environment.ProcessorCount}", result.Error);
    }

    [Fact]
    public void AMalformedLineStopsAStrictRunWithFileAndLine()
    {
        string path = WithLine(5, "2" + _files.Lines[4][1..], "bad-label.tsv"); // label 2 on line 5
        CliResult train = CliRunner.Expect(DataError, "train", "-d", path, "-o", _files.Directory.File("m.cwm"), "--model", "lr", "--epochs", "1");
        Assert.Contains($"{path}:5: ", train.Error);
        Assert.Contains("label", train.Error);
        Assert.Single(train.Error.TrimEnd().Split('\n'));

        CliResult eval = CliRunner.Expect(DataError, "eval", "-m", _files.ModelPath, "-d", path);
        Assert.Contains($"{path}:5: ", eval.Error);

        string shortLine = WithLine(7, string.Join('\t', _files.Lines[6].Split('\t')[..20]), "short-line.tsv");
        CliResult predict = CliRunner.Expect(DataError, "predict", "-m", _files.ModelPath, "-d", shortLine, "-o", _files.Directory.File("p.txt"));
        Assert.Contains($"{shortLine}:7: ", predict.Error);
        Assert.False(File.Exists(_files.Directory.File("p.txt")), "a failed predict leaves no partial output");
    }

    [Fact]
    public void SkipBadSkipsAndCountsByReason()
    {
        string path = WithLine(5, "2" + _files.Lines[4][1..], "skip.tsv");
        path = WithLine(9, "0\tnot\tenough\tcolumns", "skip.tsv", path);
        CliResult eval = CliRunner.Expect(0, "eval", "-m", _files.ModelPath, "-d", path, "--skip-bad");
        Assert.Contains("skipped=2", eval.Out);
        Assert.Contains($"rows {_files.Lines.Length - 2:N0}", eval.Out);

        CliResult train = CliRunner.Expect(0, "train", "-d", path, "-o", _files.Directory.File("skip.cwm"), "--model", "lr", "--epochs", "1", "--skip-bad", "--quiet");
        Assert.Contains("skipped=2", train.Out);
        Assert.Contains($"rows {_files.Lines.Length - 2:N0}", train.Out);

        // predict keeps one output line per input line: the skipped lines 5 and 9 get nan, every other line the
        // prediction the clean file gives it.
        string predictions = _files.Directory.File("skip-predictions.txt");
        CliResult predict = CliRunner.Expect(0, "predict", "-m", _files.ModelPath, "-d", path, "--skip-bad", "-o", predictions);
        string[] lines = File.ReadAllLines(predictions);
        Assert.Equal(_files.Lines.Length, lines.Length);
        Assert.Equal("nan", lines[4]);
        Assert.Equal("nan", lines[8]);
        Assert.Contains("skipped=2", predict.Error);
        Assert.Contains("wrote nan for the 2 lines that were skipped", predict.Error);
        string clean = _files.Directory.File("clean-predictions.txt");
        CliRunner.Expect(0, "predict", "-m", _files.ModelPath, "-d", _files.DataPath, "-o", clean);
        string[] expected = File.ReadAllLines(clean);
        Assert.All(Enumerable.Range(0, lines.Length).Where(i => i is not (4 or 8)), i => Assert.Equal(expected[i], lines[i]));
    }

    [Fact]
    public void TooManyBadLinesAbortEvenWithSkipBad()
    {
        string path = _files.Directory.File("mostly-bad.tsv");
        File.WriteAllLines(path, _files.Lines.Select((l, i) => i % 10 == 0 ? "x" + l : l));
        CliResult result = CliRunner.Expect(DataError, "eval", "-m", _files.ModelPath, "-d", path, "--skip-bad", "--max-bad-ratio", "0.01");
        Assert.Contains(path, result.Error);
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("eval")]
    [InlineData("predict")]
    [InlineData("bench")]
    public void ACorruptedModelFileExits65WithAChecksumMessage(string verb)
    {
        string path = _files.Directory.File($"corrupt-{verb}.cwm");
        byte[] bytes = File.ReadAllBytes(_files.ModelPath);
        bytes[bytes.Length * 2 / 3] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        string[] args = verb switch
        {
            "inspect" or "bench" => [verb, "-m", path],
            "predict" => [verb, "-m", path, "-d", _files.DataPath, "-o", _files.Directory.File("p.txt")],
            _ => [verb, "-m", path, "-d", _files.DataPath],
        };
        CliResult result = CliRunner.Expect(DataError, args);
        Assert.Contains("checksum", result.Error);
        Assert.Contains(path, result.Error);
    }

    [Fact]
    public void ADataFileIsNotAModel()
    {
        CliResult result = CliRunner.Expect(DataError, "inspect", "-m", _files.DataPath);
        Assert.Contains("not a Clickwise model file", result.Error);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("eval")]
    [InlineData("predict")]
    public void ATruncatedGzipInputExits74(string verb)
    {
        string gz = _files.Directory.File($"truncated-{verb}.tsv.gz");
        using (var buffer = new MemoryStream())
        {
            using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                byte[] text = File.ReadAllBytes(_files.DataPath);
                zip.Write(text);
            }

            File.WriteAllBytes(gz, buffer.ToArray()[..(int)(buffer.Length * 3 / 4)]);
        }

        string[] args = verb switch
        {
            "train" => [verb, "-d", gz, "-o", _files.Directory.File("gz.cwm"), "--model", "lr", "--epochs", "1"],
            "predict" => [verb, "-m", _files.ModelPath, "-d", gz, "-o", _files.Directory.File("gz.txt")],
            _ => [verb, "-m", _files.ModelPath, "-d", gz],
        };
        CliResult result = CliRunner.Expect(IOError, args);
        Assert.Contains("truncated gzip input", result.Error);
        Assert.Contains(gz, result.Error);
    }

    [Fact]
    public void AGzipInputThatIsCompleteWorks()
    {
        string gz = _files.Directory.File("complete.tsv.gz");
        using (var file = File.Create(gz))
        using (var zip = new GZipStream(file, CompressionLevel.Fastest))
        {
            zip.Write(File.ReadAllBytes(_files.DataPath));
        }

        CliResult result = CliRunner.Expect(0, "eval", "-m", _files.ModelPath, "-d", gz);
        Assert.Contains($"rows {_files.Lines.Length:N0}", result.Out);
    }

    [Theory]
    [InlineData("synth", "--rows", "10", "-o", "{data}/under-a-file/s.tsv")] // outputs create their folders, not under a file
    [InlineData("predict", "-m", "{model}", "-d", "{data}", "-o", "{data}/under-a-file/p.txt")]
    public void AnOutputThatCannotBeWrittenExits74(params string[] args)
    {
        CliResult result = CliRunner.Expect(IOError, Expand(args));
        Assert.Contains("under-a-file", result.Error);
    }

    [Fact]
    public void EvalJsonOnOneClassWritesNullForTheUndefinedAuc()
    {
        string negatives = _files.Directory.File("negatives.tsv");
        File.WriteAllLines(negatives, _files.Lines.Where(l => l[0] == '0').Take(300));
        CliResult result = CliRunner.Expect(0, "eval", "-m", _files.ModelPath, "-d", negatives, "--json");
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement.GetProperty("auc").ValueKind);
        Assert.True(json.RootElement.GetProperty("logloss").GetDouble() > 0);
        Assert.Equal(300, json.RootElement.GetProperty("rows").GetInt64());
    }

    /// <summary>Issue 17: NaN stops exited 1, the code for a bug; a diverged run is an expected condition with its own code.</summary>
    [Fact]
    public void ANaNStopExits3()
    {
        (int code, string message) = Clickwise.Cli.VerbRunner.Describe(new Clickwise.Training.TrainingDivergedException(1, 3, 3, double.NaN, null));
        Assert.Equal((3, "training stopped: loss is NaN at epoch 1, step 3 (global step 3); no checkpoint was written yet"), (code, message));
    }

    [Fact]
    public void AnEmptyFileIsADataError()
    {
        string empty = _files.Directory.File("empty.tsv");
        File.WriteAllText(empty, "");
        CliResult result = CliRunner.Expect(DataError, "eval", "-m", _files.ModelPath, "-d", empty);
        Assert.Contains("empty input", result.Error);
    }

    [Fact]
    public void AModelForOtherColumnsIsADataError()
    {
        // The Criteo model cannot score an Avazu file: the schema check names the mismatch.
        string avazu = _files.Directory.File("avazu.csv");
        CliRunner.Expect(0, "synth", "--profile", "avazu", "--rows", "100", "-o", avazu);
        CliResult result = CliRunner.Expect(DataError, "eval", "-m", _files.ModelPath, "-d", avazu, "--format", "avazu");
        Assert.Contains("trained on other columns", result.Error);
        Assert.Contains("23 fields", result.Error);
    }

    private string[] Expand(string[] args) => [.. args.Select(a => a
        .Replace("{missing}", _files.Directory.File("nothing-here.tsv"), StringComparison.Ordinal)
        .Replace("{model}", _files.ModelPath, StringComparison.Ordinal)
        .Replace("{data}", _files.DataPath, StringComparison.Ordinal)
        .Replace("{dir}", _files.Directory.Path, StringComparison.Ordinal))];

    /// <summary>A copy of the data (or of <paramref name="basePath"/>) with 1-based line <paramref name="line"/> replaced.</summary>
    private string WithLine(int line, string text, string name, string? basePath = null)
    {
        string[] lines = basePath is null ? (string[])_files.Lines.Clone() : File.ReadAllLines(basePath);
        lines[line - 1] = text;
        string path = _files.Directory.File(name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
