using System.Globalization;
using System.Text.Json;
using Clickwise.Metrics;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// The verbs chained as a user would: synth → train → eval --json → predict -o → inspect --json, each through
/// <c>Program.Main</c>, checking the files and numbers they hand each other.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CliPipelineTests : IClassFixture<CliPipelineTests.Pipeline>
{
    private const int Rows = 20_000;
    private readonly Pipeline _pipeline;

    public CliPipelineTests(Pipeline pipeline) => _pipeline = pipeline;

    /// <summary>A synthetic file and a small DeepFwFM trained on it through the CLI, shared by the tests.</summary>
    public sealed class Pipeline : IDisposable
    {
        public Pipeline()
        {
            Synth = CliRunner.Expect(0, "synth", "--rows", Rows.ToString(CultureInfo.InvariantCulture), "--seed", "4", "-o", DataPath);
            Train = CliRunner.Expect(0, "train", "-d", DataPath, "--format", "criteo", "--model", "deepfwfm", "-o", ModelPath,
                "--epochs", "3", "--seed", "2", "--embedding-dim", "4", "--hidden", "32,16", "--batch-size", "256", "--dropout", "0", "--min-count", "2");
        }

        internal TempDirectory Directory { get; } = new();

        public string DataPath => Directory.File("data.tsv");

        public string ModelPath => Directory.File("model.cwm");

        internal CliResult Synth { get; }

        internal CliResult Train { get; }

        public void Dispose() => Directory.Dispose();
    }

    [Fact]
    public void SynthWritesTheRequestedRowsAndTheTeacherCeiling()
    {
        Assert.Equal(Rows, File.ReadLines(_pipeline.DataPath).Count());
        Assert.All(File.ReadLines(_pipeline.DataPath).Take(100), line => Assert.Equal(40, line.Split('\t').Length));
        Assert.Contains($"wrote {Rows:N0} rows", _pipeline.Synth.Out);
        Assert.Matches(@"teacher AUC 0\.[6-9]\d{3}", _pipeline.Synth.Out);
    }

    [Fact]
    public void SynthIsDeterministicForASeed()
    {
        using var dir = new TempDirectory();
        CliRunner.Expect(0, "synth", "--rows", "500", "--seed", "9", "-o", dir.File("a.tsv"));
        CliRunner.Expect(0, "synth", "--rows", "500", "--seed", "9", "-o", dir.File("b.tsv"), "--threads", "1");
        CliRunner.Expect(0, "synth", "--rows", "500", "--seed", "10", "-o", dir.File("c.tsv"));
        Assert.Equal(File.ReadAllBytes(dir.File("a.tsv")), File.ReadAllBytes(dir.File("b.tsv")));
        Assert.NotEqual(File.ReadAllBytes(dir.File("a.tsv")), File.ReadAllBytes(dir.File("c.tsv")));
    }

    [Fact]
    public void TrainPrintsTheReportAndWritesTheModel()
    {
        string output = _pipeline.Train.Out;
        Assert.Contains($"rows {Rows:N0}", output);
        Assert.Matches(@"epoch 3: train logloss 0\.\d+\s+valid AUC 0\.\d+", output); // plain lines when piped
        Assert.Matches(@"test AUC 0\.[67]\d{4}", output);
        Assert.Contains($"model written to {_pipeline.ModelPath}", output);
        Assert.True(File.Exists(_pipeline.ModelPath));
        Assert.True(File.Exists(Path.Combine(_pipeline.ModelPath + ".run", "metrics.jsonl")), "default workdir is <output>.run");
    }

    [Fact]
    public void APresetSetsTheArchitecturePerModelFlagsWinAndInspectShowsTheKnobs()
    {
        string[] common = ["-d", _pipeline.DataPath, "--format", "criteo", "--epochs", "1", "--embedding-dim", "4", "--batch-size", "512", "--min-count", "2"];
        string ipnn = _pipeline.Directory.File("ipnn.cwm");
        // Table III, Criteo-Sequential, IPNN: tanh;0.8;800-800-800 (keep 0.8 = dropout 0.2); --hidden overrides the layers only.
        CliRunner.Expect(0, ["train", .. common, "--preset", "deepfm-criteo-sequential", "--model", "ipnn", "--hidden", "16,8", "-o", ipnn]);
        string shown = CliRunner.Expect(0, "inspect", "-m", ipnn).Out;
        Assert.Contains("model ipnn: embedding_dim 4, hidden_units [16, 8], activation tanh, dropout 0.2", shown);
        Assert.Matches(@"dense \d+x16 tanh", shown);
        Assert.Contains("dense 16x8 tanh", shown);

        (string Model, string[] Flags, string Knobs)[] cases =
        [
            ("xdeepfm", ["--cin-layers", "4,4,2", "--activation", "relu"], "activation relu, dropout 0.5, cin_layers [4, 4, 2], cin_split_half true"),
            ("dcn", ["--cross-layers", "2"], "dropout 0.5, cross_layers 2"),
            ("fibinet", ["--bilinear-type", "field_each"], "bilinear_type field_each, senet_reduction 3"),
            ("dcnv2", ["--set", "cross_rank=2", "--set", "cross_experts=3"], "cross_layers 3, cross_rank 2, cross_experts 3"),
            ("fm", [], "model fm: embedding_dim 4\n"),
        ];
        foreach ((string model, string[] flags, string knobs) in cases)
        {
            string path = _pipeline.Directory.File(model + ".cwm");
            CliRunner.Expect(0, ["train", .. common, "--model", model, "--hidden", "8", .. flags, "-o", path]);
            Assert.Contains(knobs, CliRunner.Expect(0, "inspect", "-m", path).Out);
        }

        // compare resolves the preset per model too: IPNN's row is tanh, DeepFM-IP's relu, both 800×800×800 at rate 0.2.
        string compare = _pipeline.Directory.File("compare");
        CliRunner.Expect(0, ["compare", .. common, "-o", compare, "--preset", "deepfm-criteo-sequential", "--models", "ipnn,deepfm-ip",
            "--seeds", "1", "--seed", "1", "--requests", "100"]);
        Assert.Contains("model ipnn: embedding_dim 4, hidden_units [800, 800, 800], activation tanh, dropout 0.2",
            CliRunner.Expect(0, "inspect", "-m", Path.Combine(compare, "runs", "ipnn-seed1.cwm")).Out);
        Assert.Contains("model deepfm-ip: embedding_dim 4, hidden_units [800, 800, 800], activation relu, dropout 0.2",
            CliRunner.Expect(0, "inspect", "-m", Path.Combine(compare, "runs", "deepfm-ip-seed1.cwm")).Out);
    }

    [Fact]
    public void EvalJsonHasAucLoglossAndRows()
    {
        CliResult result = CliRunner.Expect(0, "eval", "-m", _pipeline.ModelPath, "-d", _pipeline.DataPath, "--format", "criteo", "--json");
        using JsonDocument json = JsonDocument.Parse(result.Out);
        double auc = json.RootElement.GetProperty("auc").GetDouble();
        Assert.InRange(auc, 0.65, 0.85);
        Assert.InRange(json.RootElement.GetProperty("logloss").GetDouble(), 0.3, 0.65);
        Assert.Equal(Rows, json.RootElement.GetProperty("rows").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("skipped").GetInt64());
        Assert.Equal(10, json.RootElement.GetProperty("calibration").GetArrayLength());
    }

    /// <summary>OptEmbed's supernet through the CLI: model keys by --set, threshold training keys by --set training.*, rows kept in inspect.</summary>
    [Fact]
    public void ASupernetTrainsWithRowThresholdsAndInspectShowsTheRowsKept()
    {
        string model = _pipeline.Directory.File("supernet.cwm");
        CliRunner.Expect(0, "train", "-d", _pipeline.DataPath, "--format", "criteo", "--model", "deepfm", "--embedding-dim", "4", "--hidden", "8",
            "--epochs", "1", "--set", "embedding_threshold=field", "--set", "embedding_dim_sampling=true", "--set", "training.threshold_lr=0.5",
            "--set", "training.threshold_penalty=0.1", "-o", model, "--quiet");

        using JsonDocument doc = JsonDocument.Parse(CliRunner.Expect(0, "inspect", "-m", model, "--json").Out);
        JsonElement root = doc.RootElement;
        double sparsity = root.GetProperty("embedding_sparsity").GetDouble();
        long rows = root.GetProperty("vocabulary_rows").GetInt64();
        Assert.Equal("field", root.GetProperty("model").GetProperty("embedding_threshold").GetString());
        int kept = root.GetProperty("rows_kept").EnumerateArray().Sum(f => f.GetProperty("kept").GetInt32());
        Assert.InRange(sparsity, 0.01, 1.0); // the penalty raised the thresholds past some rows
        Assert.Equal(rows - kept, Math.Round(sparsity * rows), 0);
        Assert.Contains($"{kept:N0} kept by the row thresholds", CliRunner.Expect(0, "inspect", "-m", model).Out);
    }

    /// <summary>The optembed verb runs the three phases and leaves the study and the retrained model with its searched widths.</summary>
    [Fact]
    public void OptEmbedRunsThePhasesAndWritesTheStudyAndTheModel()
    {
        string directory = _pipeline.Directory.File("optembed");
        CliRunner.Expect(0, "optembed", "-d", _pipeline.DataPath, "--format", "criteo", "--model", "deepfm", "--embedding-dim", "4", "--hidden", "8",
            "--epochs", "1", "--generations", "2", "--population", "2+2", "--topk", "3", "--requests", "100", "--alpha", "0.01", "--prune", "dnn=0.5",
            "--synthetic-teacher", "criteo", "-o", directory);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "optembed.json")));
        JsonElement root = doc.RootElement;
        Assert.Equal(["original", "OptEmbed without retraining", "OptEmbed", "OptEmbed → DeepLight D-50%", "QR"],
            root.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("label").GetString()));
        Assert.Equal(2, root.GetProperty("search_best_by_generation").GetArrayLength());
        JsonElement retrained = root.GetProperty("rows")[2];
        Assert.InRange(retrained.GetProperty("sparsity").GetDouble(), 0.0, 1.0);
        Assert.InRange(retrained.GetProperty("test_auc").GetDouble(), 0.0, 1.0);
        Assert.Contains("## Phases", File.ReadAllText(Path.Combine(directory, "optembed.md")));

        // The known answer: the pruned rows by the teacher's view, and the two bounds of pruning by count over as many categories.
        JsonElement teacher = retrained.GetProperty("teacher_rare");
        long prunedCategories = teacher.GetProperty("pruned_rows").GetProperty("total").GetInt64()
            - teacher.GetProperty("pruned_rows").GetProperty("oov").GetInt64() - teacher.GetProperty("pruned_rows").GetProperty("missing").GetInt64();
        Assert.Equal(prunedCategories, teacher.GetProperty("least_frequent").GetProperty("total").GetInt64());
        Assert.Equal(prunedCategories, teacher.GetProperty("least_frequent_any_field").GetProperty("total").GetInt64());
        Assert.Contains("| least frequent | any field |", File.ReadAllText(Path.Combine(directory, "optembed.md")));
        string inspect = CliRunner.Expect(0, "inspect", "-m", Path.Combine(directory, "optembed.cwm")).Out;
        Assert.Contains($"embedding_field_dims [{retrained.GetProperty("widths").GetString()!.Replace(",", ", ", StringComparison.Ordinal)}]", inspect);
        Assert.Contains("embedding_kept_rows true", inspect);

        // The saved model is the compact one: its table's bytes in the file are at most (1 − sparsity) of the dense table's + 5%.
        using (JsonDocument shown = JsonDocument.Parse(CliRunner.Expect(0, "inspect", "-m", Path.Combine(directory, "optembed.cwm"), "--json").Out))
        {
            JsonElement summary = shown.RootElement;
            double dense = summary.GetProperty("embedding_dense_bytes").GetInt64();
            Assert.InRange(summary.GetProperty("embedding_file_bytes").GetInt64(), 1, ((1 - summary.GetProperty("embedding_sparsity").GetDouble()) * dense) + (0.05 * dense));
        }

        // OptEmbed then DeepLight: the compact model's hidden layer pruned to exactly half, its row mask and widths kept.
        JsonElement pruned = root.GetProperty("rows")[3];
        Assert.Equal(retrained.GetProperty("sparsity").GetDouble(), pruned.GetProperty("sparsity").GetDouble());
        Assert.InRange(pruned.GetProperty("test_auc").GetDouble(), 0.0, 1.0);
        Clickwise.Runs.ModelArtifact prunedModel = Clickwise.Runs.ModelArtifact.Load(pruned.GetProperty("model_path").GetString()!);
        float[] hidden = prunedModel.Tensors["mlp.0.weight"];
        Assert.Equal(hidden.Length / 2, hidden.Count(w => w == 0f));
        Assert.Equal(retrained.GetProperty("widths").GetString(), pruned.GetProperty("widths").GetString());
    }

    /// <summary>Table 2 over models and seeds: every model's original, OptEmbed and QR rows over two seeds, Welch's p, the figure.</summary>
    [Fact]
    public void OptEmbedTabulatesModelsOverSeedsWithASizeMatchedQRRow()
    {
        string directory = _pipeline.Directory.File("optembed-table2");
        CliRunner.Expect(0, "optembed", "-d", _pipeline.DataPath, "--format", "criteo", "--models", "deepfm,fnn", "--seeds", "2", "--embedding-dim", "4",
            "--hidden", "8", "--epochs", "1", "--generations", "1", "--population", "2+2", "--topk", "3", "--requests", "100", "--alpha", "0.01", "-o", directory);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "optembed.json")));
        JsonElement root = doc.RootElement;
        Assert.Equal([2019, 2020], root.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(4, root.GetProperty("runs").GetArrayLength());
        JsonElement[] rows = [.. root.GetProperty("rows").EnumerateArray()];
        Assert.Equal(["deepfm original", "deepfm OptEmbed without retraining", "deepfm OptEmbed", "deepfm QR", "fnn original", "fnn OptEmbed without retraining",
            "fnn OptEmbed", "fnn QR"], rows.Select(r => $"{r.GetProperty("model").GetString()} {r.GetProperty("label").GetString()}"));
        Assert.All(rows, r => Assert.Equal(2, r.GetProperty("auc").GetProperty("count").GetInt32()));
        JsonElement qr = rows[3], optEmbed = rows[2];
        Assert.InRange(qr.GetProperty("sparsity").GetProperty("mean").GetDouble(), 0.0, 1.0);
        // size-matched: at least as near OptEmbed's kept parameters as the original table is
        double original = rows[0].GetProperty("embedding_parameters").GetDouble(), kept = optEmbed.GetProperty("embedding_parameters").GetDouble();
        Assert.True(Math.Abs(qr.GetProperty("embedding_parameters").GetDouble() - kept) <= Math.Abs(original - kept));
        string markdown = File.ReadAllText(Path.Combine(directory, "optembed.md"));
        Assert.Contains("| deepfm | QR |", markdown);
        Assert.Contains("Welch", markdown);
        Assert.True(File.Exists(Path.Combine(directory, "optembed-auc-sparsity.png")));
        Assert.True(File.Exists(Path.Combine(directory, "optembed.cwm")));
    }

    [Fact]
    public void FinalMlpTrainsSavesEvaluatesPredictsBenchmarksAndInspectsLikeTheOthers()
    {
        string model = _pipeline.Directory.File("finalmlp.cwm");
        CliRunner.Expect(0, "train", "-d", _pipeline.DataPath, "--format", "criteo", "--model", "finalmlp", "--embedding-dim", "4",
            "--hidden", "16,8", "--set", "mlp2_hidden_units=16", "--set", "fs_hidden_units=8", "--set", "num_heads=4", "--epochs", "1",
            "-o", model, "--quiet");

        string shown = CliRunner.Expect(0, "inspect", "-m", model).Out;
        Assert.Contains("model finalmlp: embedding_dim 4, hidden_units [16, 8], activation relu, dropout 0.5, mlp2_hidden_units [16], "
            + "fs_hidden_units [8], num_heads 4", shown);
        Assert.Contains("bilinear fusion X=8 Y=16 K=4", shown);
        // The gates are folded into the streams' first layers: the plan is the gather, two streams and the fusion.
        string plan = shown[shown.IndexOf("compiled plan", StringComparison.Ordinal)..];
        Assert.Equal(2, plan.Split("dense 156x16 relu").Length - 1);
        Assert.Equal(3, plan.Split("dense ").Length - 1);

        using (JsonDocument eval = JsonDocument.Parse(CliRunner.Expect(0, "eval", "-m", model, "-d", _pipeline.DataPath, "--format", "criteo", "--json").Out))
        {
            Assert.Equal(Rows, eval.RootElement.GetProperty("rows").GetInt64());
            Assert.InRange(eval.RootElement.GetProperty("auc").GetDouble(), 0.51, 1.0); // one epoch; learning is ModelLearningTests'
        }

        string predictions = _pipeline.Directory.File("finalmlp.txt");
        CliRunner.Expect(0, "predict", "-m", model, "-d", _pipeline.DataPath, "--format", "criteo", "-o", predictions);
        string[] lines = File.ReadAllLines(predictions);
        Assert.Equal(Rows, lines.Length);
        Assert.All(lines, line => Assert.InRange(double.Parse(line, System.Globalization.CultureInfo.InvariantCulture), 0.0, 1.0));

        using JsonDocument bench = JsonDocument.Parse(CliRunner.Expect(0, "bench", "-m", model, "--requests", "200", "--batch", "500", "--json").Out);
        Assert.True(bench.RootElement.EnumerateObject().Any(), "bench reports its measurements");
    }

    [Fact]
    public void PredictWritesOneProbabilityPerRowThatAgreesWithEval()
    {
        string predictions = _pipeline.Directory.File("predictions.txt");
        CliResult result = CliRunner.Expect(0, "predict", "-m", _pipeline.ModelPath, "-d", _pipeline.DataPath, "-o", predictions);
        Assert.Contains($"predicted {Rows:N0} rows", result.Error);
        float[] p = [.. File.ReadLines(predictions).Select(l => float.Parse(l, CultureInfo.InvariantCulture))];
        Assert.Equal(Rows, p.Length);
        Assert.All(p, v => Assert.InRange(v, float.Epsilon, 1f - 1e-7f));

        // The probabilities are the model's: their AUC against the file's labels is what eval reports.
        float[] labels = [.. File.ReadLines(_pipeline.DataPath).Select(l => l[0] == '1' ? 1f : 0f)];
        CliResult eval = CliRunner.Expect(0, "eval", "-m", _pipeline.ModelPath, "-d", _pipeline.DataPath, "--json");
        using JsonDocument json = JsonDocument.Parse(eval.Out);
        Assert.Equal(json.RootElement.GetProperty("auc").GetDouble(), Auc.Compute(p, labels), 4);

        CliRunner.Expect(0, "predict", "-m", _pipeline.ModelPath, "-d", _pipeline.DataPath, "-o", predictions, "--output-type", "logit");
        float[] z = [.. File.ReadLines(predictions).Select(l => float.Parse(l, CultureInfo.InvariantCulture))];
        Assert.Equal(p[0], 1f / (1f + MathF.Exp(-z[0])), 1e-6f);
    }

    [Fact]
    public void PredictOnUnseenCategoriesUsesOovIds()
    {
        // Every categorical token replaced by one the model never saw, and an unlabeled file (no label column).
        string unseen = _pipeline.Directory.File("unseen.tsv");
        File.WriteAllLines(unseen, File.ReadLines(_pipeline.DataPath).Take(777).Select((line, i) =>
        {
            string[] cells = line.Split('\t');
            for (int c = 14; c < cells.Length; c++)
            {
                cells[c] = cells[c].Length == 0 ? "" : $"{0xF0000000 + i * 40 + c:x8}";
            }

            return string.Join('\t', cells[1..]);
        }));
        string predictions = _pipeline.Directory.File("unseen-predictions.txt");
        CliRunner.Expect(0, "predict", "-m", _pipeline.ModelPath, "-d", unseen, "--unlabeled", "-o", predictions);
        string[] lines = File.ReadAllLines(predictions);
        Assert.Equal(777, lines.Length);
        Assert.All(lines, l => Assert.InRange(float.Parse(l, CultureInfo.InvariantCulture), 1e-6f, 1f - 1e-6f));
    }

    [Fact]
    public void PredictToStdoutWritesTheSameValues()
    {
        string head = _pipeline.Directory.File("head.tsv");
        File.WriteAllLines(head, File.ReadLines(_pipeline.DataPath).Take(2500));
        string file = _pipeline.Directory.File("head-predictions.txt");
        CliRunner.Expect(0, "predict", "-m", _pipeline.ModelPath, "-d", head, "-o", file);
        CliResult stdout = CliRunner.Expect(0, "predict", "-m", _pipeline.ModelPath, "-d", head, "-o", "-");
        Assert.Equal(File.ReadAllLines(file), stdout.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("predicted 2,500 rows", stdout.Error);
    }

    [Fact]
    public void TrainTakesAConfigFileAndFlagsOverrideIt()
    {
        string config = _pipeline.Directory.File("fm.json");
        File.WriteAllText(config, """
            {
              "preset": "criteo",
              // sections replace the preset's whole; keys left out take the defaults
              "model": { "name": "fm", "embedding_dim": 3 },
              "training": { "epochs": 1, "batch_size": 1024 },
              "preprocessing": { "min_count": 3 }
            }
            """);
        string model = _pipeline.Directory.File("from-config.cwm");
        CliRunner.Expect(0, "train", "-d", _pipeline.DataPath, "-o", model, "--config", config, "--embedding-dim", "5", "--quiet");
        CliResult inspect = CliRunner.Expect(0, "inspect", "-m", model, "--json");
        using JsonDocument json = JsonDocument.Parse(inspect.Out);
        Assert.Equal("fm", json.RootElement.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("model").GetProperty("embedding_dim").GetInt32());
        Assert.Single(File.ReadLines(Path.Combine(model + ".run", "metrics.jsonl")));

        File.WriteAllText(config, """{ "preset": "criteo", "modle": { "name": "fm" } }""");
        CliResult typo = CliRunner.Expect(65, "train", "-d", _pipeline.DataPath, "-o", model, "--config", config);
        Assert.Contains("modle", typo.Error);
    }

    [Fact]
    public void TheConfigFilesFormatAppliesUnlessTheCommandLineNamesOne()
    {
        // A libsvm file: only read right if the config's "format" reaches the reader (--format defaults to criteo).
        var random = new Random(3);
        string data = _pipeline.Directory.File("small.libsvm");
        File.WriteAllLines(data, Enumerable.Range(0, 400).Select(_ =>
            $"{random.Next(2)} {string.Join(' ', Enumerable.Range(0, 4).Select(f => $"{f * 10 + random.Next(10)}:1"))}"));
        string config = _pipeline.Directory.File("libsvm.json");
        File.WriteAllText(config, """{ "format": "libsvm", "model": { "name": "fm", "embedding_dim": 2 }, "training": { "epochs": 1, "batch_size": 64 }, "preprocessing": { "min_count": 1 } }""");
        string model = _pipeline.Directory.File("libsvm.cwm");
        CliRunner.Expect(0, "train", "-d", data, "-o", model, "--config", config, "--quiet");
        CliResult overridden = CliRunner.Expect(65, "train", "-d", data, "-o", model, "--config", config, "--format", "criteo", "--quiet");
        Assert.Contains("small.libsvm:1:", overridden.Error);
    }

    [Fact]
    public void TrainResumesFromACheckpoint()
    {
        string[] common = ["train", "-d", _pipeline.DataPath, "--model", "fwfm", "--seed", "3", "--embedding-dim", "4",
            "--batch-size", "1024", "--min-count", "2", "--quiet"];
        string whole = _pipeline.Directory.File("whole.cwm"), split = _pipeline.Directory.File("split.cwm");
        CliRunner.Expect(0, [.. common, "-o", whole, "--epochs", "2"]);
        CliRunner.Expect(0, [.. common, "-o", split, "--epochs", "1"]);
        CliRunner.Expect(0, [.. common, "-o", split, "--epochs", "2", "--resume", split + ".run/checkpoint.cwm"]);
        var a = Clickwise.Runs.ModelArtifact.Load(whole);
        var b = Clickwise.Runs.ModelArtifact.Load(split);
        foreach ((string name, float[] values) in a.Tensors)
        {
            Assert.True(values.AsSpan().SequenceEqual(b.Tensors[name]), $"{name} differs after resuming");
        }

        CliResult missing = CliRunner.Expect(66, [.. common, "-o", split, "--epochs", "2", "--resume", _pipeline.Directory.File("no-checkpoint.cwm")]);
        Assert.Contains("no-checkpoint.cwm", missing.Error);

        // The run directory names its checkpoint too: a third epoch continues from the second's.
        CliRunner.Expect(0, [.. common, "-o", split, "--epochs", "3", "--resume", split + ".run"]);
        Assert.Equal(3, File.ReadAllLines(split + ".run/metrics.jsonl").Count(line => line.Contains("\"epoch\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void TrainPrunesToTheTargetsAndSavesTheZeros()
    {
        string model = _pipeline.Directory.File("pruned.cwm");
        CliResult result = CliRunner.Expect(0, "train", "-d", _pipeline.DataPath, "--model", "deepfwfm", "-o", model, "--epochs", "3",
            "--seed", "2", "--embedding-dim", "4", "--hidden", "32,16", "--batch-size", "512", "--min-count", "2",
            "--sparsity", "D-90% & R-80% & F-40%", "--prune-warmup", "1", "--quiet");
        Assert.Matches(@"pruned: D 90\.0% of [\d,]+, R 79\.\d% of 741, F 40\.0% of [\d,]+", result.Out);

        var saved = Clickwise.Runs.ModelArtifact.Load(model);
        Assert.Equal(0.9, saved.Tensors["mlp.0.weight"].Count(v => v == 0f) / (double)saved.Tensors["mlp.0.weight"].Length, 3);
        Assert.Equal(0.4, saved.Tensors["embedding"].Count(v => v == 0f) / (double)saved.Tensors["embedding"].Length, 3);
        Assert.DoesNotContain(0f, saved.Tensors["mlp.2.weight"]);
        using (JsonDocument extra = JsonDocument.Parse(saved.ExtraJson!))
        {
            Assert.Equal("D-90% & R-80% & F-40%", extra.RootElement.GetProperty("sparsity").GetString());
        }

        // A pruned model is also timed through the dense kernels, and the speed-up reported.
        CliResult bench = CliRunner.Expect(0, "bench", "-m", model, "--requests", "200", "--batch", "500", "--json");
        using (JsonDocument json = JsonDocument.Parse(bench.Out))
        {
            JsonElement root = json.RootElement;
            double speedUp = root.GetProperty("dense_plan").GetProperty("p50_micros").GetDouble() / root.GetProperty("plan").GetProperty("p50_micros").GetDouble();
            Assert.Equal(speedUp, root.GetProperty("speed_up_batch1").GetDouble(), 9);
        }

        // Pruning the pruned model further from its saved weights: what was pruned stays pruned, the DNN goes to 95%.
        string further = _pipeline.Directory.File("pruned-further.cwm");
        CliRunner.Expect(0, "train", "-d", _pipeline.DataPath, "-o", further, "--init", model, "--epochs", "1", "--batch-size", "512",
            "--seed", "2", "--min-count", "2", "--sparsity", "dnn=0.95,r=0.8,emb=0.4", "--prune-warmup", "0", "--quiet");
        var next = Clickwise.Runs.ModelArtifact.Load(further);
        float[] before = saved.Tensors["mlp.0.weight"], after = next.Tensors["mlp.0.weight"];
        Assert.All(Enumerable.Range(0, before.Length).Where(i => before[i] == 0f), i => Assert.Equal(0f, after[i]));
        Assert.Equal(0.95, after.Count(v => v == 0f) / (double)after.Length, 3);
        Assert.Equal(saved.FeatureMap.Layout.TotalRows, next.FeatureMap.Layout.TotalRows);

        CliResult noR = CliRunner.Expect(2, "train", "-d", _pipeline.DataPath, "--model", "deepfm", "-o", model, "--sparsity", "r=0.5");
        Assert.Contains("no R component", noR.Error);
        CliResult orphan = CliRunner.Expect(2, "train", "-d", _pipeline.DataPath, "-o", model, "--prune-warmup", "1");
        Assert.Contains("need --sparsity", orphan.Error);
    }

    [Fact]
    public void TrainFnnPreTrainsAnFMAndInitAcrossArchitecturesIsChecked()
    {
        string fnn = _pipeline.Directory.File("fnn.cwm");
        CliResult result = CliRunner.Expect(0, "train", "-d", _pipeline.DataPath, "--model", "fnn", "-o", fnn, "--epochs", "1",
            "--fm-pretrain-epochs", "1", "--seed", "2", "--embedding-dim", "4", "--hidden", "16", "--batch-size", "512", "--min-count", "2", "--quiet");
        Assert.Matches(@"fm pre-training: 1 epoch, best 1: valid AUC 0\.\d{5}", result.Out);
        Assert.Contains("start: fnn from fm: embedding, first_order, bias copied; mlp.* fresh", result.Out);
        Assert.True(File.Exists(Path.Combine(fnn + ".run", "fm-pretrain", "fm.cwm")));

        // The pipeline's DeepFwFM has no first-order table, which an FNN reads: refused before any data is read.
        CliResult refused = CliRunner.Expect(2, "train", "-d", _pipeline.DataPath, "--model", "fnn", "--init", _pipeline.ModelPath,
            "--embedding-dim", "4", "-o", fnn);
        Assert.Contains("fnn cannot start from a deepfwfm", refused.Error);
        Assert.Contains("'first_order'", refused.Error);
        CliResult negative = CliRunner.Expect(2, "train", "-d", _pipeline.DataPath, "--model", "fnn", "--fm-pretrain-epochs", "-1", "-o", fnn);
        Assert.Contains("fm_pretrain_epochs", negative.Error);
    }

    [Fact]
    public void BenchTakesRowsFromADataFile()
    {
        CliResult result = CliRunner.Expect(0, "bench", "-m", _pipeline.ModelPath, "-d", _pipeline.DataPath, "--requests", "300", "--batch", "2000");
        Assert.Matches(@"batch 1, 1 thread: p50 [\d.]+ µs\s+p99 [\d.]+ µs\s+\(300 requests\)", result.Out);
        Assert.Matches(@"batch 2,000, \d threads: [\d,]+ samples/s", result.Out);
    }

    [Fact]
    public void InspectJsonDescribesTheModel()
    {
        CliResult result = CliRunner.Expect(0, "inspect", "-m", _pipeline.ModelPath, "--json");
        using JsonDocument json = JsonDocument.Parse(result.Out);
        JsonElement root = json.RootElement;
        Assert.Equal("ok", root.GetProperty("checksum").GetString());
        Assert.Equal("deepfwfm", root.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(4, root.GetProperty("model").GetProperty("embedding_dim").GetInt32());
        Assert.Equal(39, root.GetProperty("fields").GetInt32());
        long parameters = root.GetProperty("parameters").GetInt64();
        long rows = root.GetProperty("vocabulary_rows").GetInt64();
        long components = root.GetProperty("components").EnumerateArray().Sum(c => c.GetProperty("parameters").GetInt64());
        Assert.Equal(parameters, components);
        // embedding V·4 + fwfm.v 39·4 + fwfm.r 741 + bias + DNN (156·32+32) + (32·16+16) + (16+1)
        Assert.Equal(rows * 4 + 39 * 4 + 741 + 1 + (156 * 32 + 32) + (32 * 16 + 16) + 17, parameters);
        Assert.Contains(root.GetProperty("plan").EnumerateArray(), op => op.GetString()!.StartsWith("fwfm pairs dense 741", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Number, root.GetProperty("training").GetProperty("test_auc").ValueKind);
        // An unpruned plan holds every parameter; its smallest form keeps one copy of each layer, the fastest more.
        Assert.Equal(parameters, root.GetProperty("plan_parameters").GetInt64());
        long smallest = root.GetProperty("smallest_plan_bytes").GetInt64();
        Assert.InRange(smallest, 4 * parameters, root.GetProperty("plan_bytes").GetInt64());

        CliResult text = CliRunner.Expect(0, "inspect", "-m", _pipeline.ModelPath);
        Assert.Contains("bytes in memory (smallest plan, bench --plan memory: ", text.Out);
        Assert.Contains("checksum ok", text.Out);
        Assert.Contains("model deepfwfm: embedding_dim 4, hidden_units [32, 16]", text.Out);
    }

    [Fact]
    public void BenchReportsLatencyAndThroughput()
    {
        CliResult result = CliRunner.Expect(0, "bench", "-m", _pipeline.ModelPath, "--requests", "200", "--batch", "500", "--json");
        using JsonDocument json = JsonDocument.Parse(result.Out);
        JsonElement plan = json.RootElement.GetProperty("plan");
        Assert.True(plan.GetProperty("p50_micros").GetDouble() > 0);
        Assert.True(plan.GetProperty("p99_micros").GetDouble() >= plan.GetProperty("p50_micros").GetDouble());
        Assert.True(plan.GetProperty("batch_samples_per_sec").GetDouble() > 0);
        Assert.Equal(500, plan.GetProperty("batch_size").GetInt32());
        // A dense model has no sparse plan to compare with.
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("dense_plan").ValueKind);
    }
}
