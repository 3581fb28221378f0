using System.Diagnostics;
using Clickwise.Compression.Pruning;
using Clickwise.Data;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Readers;
using Clickwise.Distributed;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.Kernels;
using Clickwise.Metrics;
using Clickwise.Models;
using Clickwise.Training;

namespace Clickwise.Runs;

/// <summary>The metrics of one test part: a test file (<see cref="File"/>, as given) or the split's test part (null).</summary>
public sealed record TestResult(string? File, EvaluationResult Result);

/// <summary>What a training run produced, for the CLI's report and for tests.</summary>
/// <param name="Test">The first test part's metrics (NaN when there is no test part: see <see cref="Tests"/>).</param>
public sealed record TrainReport(
    long Rows,
    long TrainRows,
    long ValidRows,
    long TestRows,
    string BadLines,
    TrainingResult Training,
    string? Sparsity,
    EvaluationResult Test,
    long Parameters,
    double TrainSamplesPerSec,
    double PrepareSeconds,
    double TrainSeconds,
    string ModelPath)
{
    /// <summary>What the model started from when not from scratch: a transfer from <c>--init</c> or FNN's pre-trained FM.</summary>
    public TransferPlan? Start { get; init; }

    /// <summary>FNN: the FM pre-training phase (its epochs, validated like the main run's), when it ran.</summary>
    public TrainingResult? FmPretraining { get; init; }

    /// <summary>Every test part in order: each test file, or the split's test part; empty when there is none.</summary>
    public IReadOnlyList<TestResult> Tests { get; init; } = [];

    /// <summary>Whether validation rows came from a file rather than the ratio split.</summary>
    public bool ValidFromFile { get; init; }

    /// <summary>Distributed training: what this rank sent and how long it spent in collectives; null for a run alone.</summary>
    public CommunicationStats? Communication { get; init; }

    /// <summary>Settings that do not suit this data (too few batches, most lookups out of vocabulary), in a sentence each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// The one runner: split, fit the vocabulary on the training rows and write the binary caches (two streaming passes;
/// validation and test files, when given, are encoded with that vocabulary), train with per-epoch validation and early
/// stopping, evaluate the restored best model on each test part with the compiled predictor, and save the model file atomically. An FNN trained from scratch is two phases: an FM first
/// (<see cref="TrainingConfig.FmPretrainEpochs"/>, saved under the work directory's <c>fm-pretrain/</c>), whose
/// tables the FNN then starts from.
/// </summary>
public static class TrainRun
{
    public static TrainReport Execute(TrainRequest request, IEnumerable<ITrainingObserver>? observers = null,
                                      CancellationToken cancellationToken = default) =>
        Execute(request, (data, workDir) => data.ReplayableOpener(workDir), observers, cancellationToken);

    /// <param name="openerFor">Makes the data's per-pass reader factory, given the work directory (stdin spools there).</param>
    internal static TrainReport Execute(TrainRequest request, Func<DataSource, string, Func<IRecordReader>> openerFor,
                                        IEnumerable<ITrainingObserver>? observers, CancellationToken cancellationToken)
    {
        // A model to start from is read (and its checksum verified) once, for validation, vocabulary and weights.
        ModelArtifact? init = request.InitFrom is { } path ? ModelArtifact.Load(path) : null;
        if (init is not null)
        {
            request = request.WithFieldCountOf(init.FeatureMap.FieldCount);
        }

        Validate(request, init);
        if (request.Parallel is not null && !PreparedDirectory.Is(request.Data.Path))
        {
            throw new ArgumentException($"{request.Data.Path}: distributed training reads a prepared dataset (each rank its shard of the rows); "
                + "run `clickwise prepare` first and train on its directory");
        }

        if (request.Parallel is { IsLead: false })
        {
            using PreparedDataset shard = OpenPrepared(request, init);
            return Train(request, init, shard, 0, observers, cancellationToken);
        }

        Directory.CreateDirectory(request.WorkDir);
        IO.OutputFile.WriteAllBytes(Path.Combine(request.WorkDir, "effective-config.json"), System.Text.Encoding.UTF8.GetBytes(request.EffectiveConfigJson()));
        var clock = Stopwatch.StartNew();
        using PreparedDataset data = PreparedDirectory.Is(request.Data.Path)
            ? OpenPrepared(request, init)
            : Prepare(request, openerFor(request.Data, request.WorkDir), init?.FeatureMap);
        return Train(request, init, data, clock.Elapsed.TotalSeconds, observers, cancellationToken);
    }

    /// <summary>A <c>prepare</c>d directory as the run's data: no parsing; a model to start from must share its vocabulary.</summary>
    private static PreparedDataset OpenPrepared(TrainRequest request, ModelArtifact? init)
    {
        if (request.Valid is not null || request.Tests.Count > 0)
        {
            throw new ArgumentException($"{request.Data.Path} is a prepared dataset with its own validation and test parts; "
                + "give --valid/--test to prepare instead");
        }

        PreparedDataset data = PreparedDirectory.Open(request.Data.Path, request.Preprocessing);
        if (init is not null && init.FeatureMap.Checksum != data.Map.Checksum)
        {
            data.Dispose();
            throw new ArgumentException($"{request.InitFrom} was trained with another vocabulary than {request.Data.Path} was prepared with");
        }

        return data;
    }

    /// <summary>
    /// The request's data prepared under its work directory's <c>cache/</c>: the vocabulary fitted on the training rows
    /// (or <paramref name="map"/> when given), the training data and any validation and test files encoded and split.
    /// </summary>
    public static PreparedDataset Prepare(TrainRequest request, FeatureMap? map = null)
    {
        if (map is null && PreparedDirectory.Is(request.Data.Path))
        {
            return PreparedDirectory.Open(request.Data.Path, request.Preprocessing); // compare and deeplight on a prepared dataset
        }

        Directory.CreateDirectory(request.WorkDir); // stdin spools there
        return Prepare(request, request.Data.ReplayableOpener(request.WorkDir), map);
    }

    private static PreparedDataset Prepare(TrainRequest request, Func<IRecordReader> openTrain, FeatureMap? map)
    {
        string cacheDir = Path.Combine(request.WorkDir, "cache");
        ChunkedInput? chunked = ChunkedInput.TryCreate(request.Data.Path, request.Data.Reader, request.Data.Progress, request.Compute.Threads);
        return map is not null
            ? DatasetBuilder.BuildWithMap(openTrain, map, request.Preprocessing, cacheDir, request.HeldOut, chunked)
            : DatasetBuilder.Build(openTrain, request.Preprocessing, cacheDir, request.HeldOut, chunked, request.VocabularyMemory);
    }

    /// <summary>Trains on an already prepared (cached and split) dataset: studies train many models on one cache.</summary>
    public static TrainReport Execute(TrainRequest request, PreparedDataset data, double prepareSeconds,
                                      IEnumerable<ITrainingObserver>? observers, CancellationToken cancellationToken)
    {
        ModelArtifact? init = request.InitFrom is { } path ? ModelArtifact.Load(path) : null;
        Validate(request, init);
        return Train(request, init, data, prepareSeconds, observers, cancellationToken);
    }

    private static TrainReport Train(TrainRequest request, ModelArtifact? init, PreparedDataset data, double prepareSeconds,
                                     IEnumerable<ITrainingObserver>? observers, CancellationToken cancellationToken)
    {
        DataParallelism? parallel = request.Parallel;
        bool lead = parallel?.IsLead ?? true;
        ComputeContext compute = parallel is null ? request.Compute
            : request.Compute with { BatchShard = new BatchShard(parallel.Communicator.Rank, parallel.Communicator.Size) };
        if (lead)
        {
            Directory.CreateDirectory(request.WorkDir);
        }

        if (data.Train.RowCount == 0)
        {
            throw new InvalidDataException($"{request.Data.Path}: no training rows after the split ({data.Rows} rows in all)");
        }

        ModelFootprint.Check(init is null || Transfers(request, init) ? request.Model : init.Config, data.Map.Layout, request.Training.BatchSize);
        CtrModel model;
        TransferPlan? start = null;
        TrainingResult? fmPretraining = null;
        if (init is null || Transfers(request, init))
        {
            model = ModelRegistry.Create(request.Model, data.Map.Layout);
            if (init is not null)
            {
                start = ModelTransfer.Apply(init.Config, init.Tensors, model);
            }
            else if (model is FnnModel && request.Training.FmPretrainEpochs > 0 && request.ResumeFrom is null)
            {
                (fmPretraining, start) = PretrainFM(request, data, model, cancellationToken);
            }
        }
        else
        {
            model = init.Instantiate(request.Training.BatchSize, compute, request.InitDropout);
            if (request.PretrainInit && model is FnnModel && request.Training.FmPretrainEpochs > 0 && request.ResumeFrom is null)
            {
                (fmPretraining, start) = PretrainFM(request, data, model, cancellationToken, from: init.Tensors);
            }
        }

        if (request.StartPath is { } startPath && lead && request.ResumeFrom is null)
        {
            ModelArtifact.Save(startPath, model, data.Map, new { phase = "the weights training starts from", start = start?.ToString() });
        }

        // A pruned run's best-validation epoch may be a less sparse one, and stopping early would cut the schedule
        // short: a pruned run trains every epoch and keeps the last, which has the targets, unless its schedule reaches
        // them earlier (until_epoch); then the best of the epochs at the targets is restored.
        TrainingConfig trainingConfig = request.Pruning is not { } schedule ? request.Training
            : request.Training with { RestoreBest = request.Training.RestoreBest && schedule.UntilEpoch > 0, Patience = 0 };
        IEvaluator evaluator = new LogitEvaluator(Evaluation.FromLogits);
        (IGradientExchange Exchange, CommunicationStats Stats)? exchange = parallel?.CreateExchange(model.Parameters);
        var trainer = new Trainer(model, trainingConfig, parallel is null ? evaluator : new LeaderEvaluator(parallel.Communicator, evaluator), compute)
        {
            BestFromEpoch = request.Pruning?.Schedule.FirstEpochAtTarget(request.Training.Epochs) ?? 1,
            CheckpointPath = lead ? Path.Combine(request.WorkDir, "checkpoint.cwm") : null,
            FeatureMapJson = data.Map.ToJson(),
            Exchange = exchange?.Exchange,
        };
        string metricsPath = Path.Combine(request.WorkDir, "metrics.jsonl");
        if (request.ResumeFrom is null && lead)
        {
            // The writer appends (a resumed run continues its file); a fresh run must not inherit an old run's epochs.
            File.Delete(metricsPath);
        }

        using MetricsJsonlWriter? metrics = lead ? new MetricsJsonlWriter(metricsPath) : null;
        if (metrics is not null)
        {
            trainer.Observers.Add(metrics);
            trainer.Observers.AddRange(observers ?? []);
        }

        ModelPruner? pruner = null;
        if (request.Pruning is { } pruning)
        {
            pruner = new ModelPruner(model.Parameters, data.Map.Layout, pruning.Targets, pruning.EmbeddingScope, pruning.Regrow);
            trainer.Hooks.Add(new PruningHook(pruner, pruning.Schedule));
            if (init is not null && !pruning.Regrow)
            {
                // Pruning a pruned model further keeps what it pruned.
                pruner.AdoptZeros();
            }
        }

        if (request.ResumeFrom is not null)
        {
            trainer.Resume(request.ResumeFrom);
            metrics?.KeepEpochsThrough(trainer.State.Epoch);
            if (pruner is { Regrow: false })
            {
                pruner.AdoptZeros();
            }
        }

        var clock = Stopwatch.StartNew();
        IBatchSource trainRows = parallel is null ? data.Train : data.Train.Shard(parallel.Communicator.Rank, parallel.Communicator.Size);
        TrainingResult training = trainer.Fit(trainRows, data.Valid.RowCount > 0 ? data.Valid : null, cancellationToken);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        if (!lead)
        {
            return new TrainReport(data.Rows, trainRows.RowCount, 0, 0, "", training, null, NoRows, model.Parameters.TotalLength, 0, prepareSeconds,
                trainSeconds, request.ModelPath) { Communication = exchange?.Stats };
        }

        CompiledModel compiled = CompiledModel.Compile(model, compute);
        TestResult[] tests = [.. data.Tests.Select(part => new TestResult(part.File,
            part.Rows.RowCount > 0 ? Evaluation.Run(compiled, part.Rows).Result : NoRows))];
        EvaluationResult test = tests.Length > 0 ? tests[0].Result : NoRows;
        double samplesPerSec = training.Epochs.Count == 0 ? 0 : training.Epochs.Average(e => e.SamplesPerSec);
        var summary = new
        {
            training.BestEpoch,
            test_auc = ConfigJson.Finite(test.Auc),
            test_logloss = ConfigJson.Finite(test.LogLoss),
            test_rows = test.Rows,
            tests = tests.Select(t => new
            {
                name = t.File ?? "split",
                auc = ConfigJson.Finite(t.Result.Auc),
                logloss = ConfigJson.Finite(t.Result.LogLoss),
                rows = t.Result.Rows,
            }).ToArray(),
            valid = request.Valid?.Path,
            // No measured speed: one seed writes one file, byte for byte (the run directory's metrics.jsonl keeps the speeds).
            sparsity = pruner?.Targets.ToPaperNotation(),
            source = request.Data.Path,
            start = start?.ToString(),
            // How the model was fed, so eval and predict read new files the same way without being told again.
            input = request.Data.Reader,
            preprocessing = request.Preprocessing,
            // Which rows trained, so eval can take the held-out ones again (--split) or warn on the trained ones.
            split = data.Split.Ratios,
            sources = PreparedDirectory.Is(request.Data.Path) ? PreparedDirectory.TrainingFiles(request.Data.Path)
                : request.Data.IsStdin ? [] : InputFiles.Expand(request.Data.Path).Select(Path.GetFullPath).ToArray(),
        };
        ModelArtifact.Save(request.ModelPath, model, data.Map, summary);
        return new TrainReport(data.Rows, data.Train.RowCount, data.Valid.RowCount, data.Tests.Sum(t => t.Rows.RowCount), data.Stats.ToString(),
            training, pruner is null ? null : SparsitySummary(pruner), test, model.Parameters.TotalLength, samplesPerSec, prepareSeconds, trainSeconds, request.ModelPath)
        {
            Start = start,
            FmPretraining = fmPretraining,
            Tests = tests,
            ValidFromFile = data.ValidFromFile,
            Warnings = Warnings(request, data),
            Communication = exchange?.Stats,
        };
    }

    /// <summary>
    /// What a user of a small or sparse file should hear: a training set of under 20 batches takes few optimizer steps, and
    /// a min count that sends most training lookups (the first 100,000 rows' ids) to the fields' OOV ids learns little.
    /// </summary>
    private static string[] Warnings(TrainRequest request, PreparedDataset data)
    {
        var warnings = new List<string>();
        long rows = data.Train.RowCount;
        int batch = request.Training.BatchSize;
        if (rows < 20L * batch)
        {
            int suggested = (int)Math.Max(32, Math.Pow(2, Math.Floor(Math.Log2(Math.Max(1, rows / 50)))));
            warnings.Add($"the training set has {rows:N0} rows, under 20 batches of {batch:N0}: few optimizer steps per epoch; "
                + $"a smaller --batch-size (e.g. {suggested}) usually trains better on data this small");
        }

        long lookups = 0, oov = 0;
        int[] oovIds = [.. data.Map.Layout.Offsets.Select(offset => offset + Features.FeatureMap.OovId)];
        foreach (Batch b in data.Train.Batches(8192, shuffle: false, seed: 0))
        {
            ReadOnlySpan<int> ids = b.IdsInUse;
            for (int i = 0; i < ids.Length; i++)
            {
                oov += ids[i] == oovIds[i % oovIds.Length] ? 1 : 0;
            }

            lookups += ids.Length;
            if (lookups >= 100_000L * oovIds.Length)
            {
                break;
            }
        }

        if (lookups > 0 && oov * 2 > lookups)
        {
            warnings.Add($"min count {request.Preprocessing.MinCount} sends {100.0 * oov / lookups:F0}% of the training lookups to their field's "
                + "OOV id: most categories are too rare for it; a lower --min-count (or preprocessing.min_count) keeps them");
        }

        return [.. warnings];
    }

    private static EvaluationResult NoRows => new(0, double.NaN, double.NaN, double.NaN, double.NaN, 0);

    /// <summary>Whether <see cref="TrainRequest.InitFrom"/> starts another architecture (rather than continuing the saved model).</summary>
    private static bool Transfers(TrainRequest request, ModelArtifact init) => request.InitTransfer && request.Model.Name != init.Config.Name;

    /// <summary>
    /// FNN's first phase: an FM of the FNN's embedding width, seed and initialisation trained on the same split and
    /// settings for <see cref="TrainingConfig.FmPretrainEpochs"/> (validated, best epoch restored), saved as
    /// <c>fm-pretrain/fm.cwm</c> with its metrics beside, and its tables copied into <paramref name="fnn"/>.
    /// </summary>
    /// <param name="from">The FNN's tensors the FM starts from (its tables and row mask); null: the FM's own draw.</param>
    internal static (TrainingResult Result, TransferPlan Start) PretrainFM(TrainRequest request, PreparedDataset data, CtrModel fnn,
                                                                          CancellationToken cancellationToken,
                                                                          IReadOnlyDictionary<string, float[]>? from = null)
    {
        ModelConfig config = fnn.Config with { Name = "fm" };
        CtrModel fm = ModelRegistry.Create(config, data.Map.Layout);
        if (from is not null)
        {
            ModelTransfer.Apply(fnn.Config, from, fm);
        }

        string dir = Path.Combine(request.WorkDir, "fm-pretrain");
        Directory.CreateDirectory(dir);
        var trainer = new Trainer(fm, request.Training with { Epochs = request.Training.FmPretrainEpochs },
            new LogitEvaluator(Evaluation.FromLogits), request.Compute);
        string metricsPath = Path.Combine(dir, "metrics.jsonl");
        File.Delete(metricsPath);
        TrainingResult result;
        using (var metrics = new MetricsJsonlWriter(metricsPath))
        {
            trainer.Observers.Add(metrics);
            result = trainer.Fit(data.Train, data.Valid.RowCount > 0 ? data.Valid : null, cancellationToken);
        }

        ModelArtifact.Save(Path.Combine(dir, "fm.cwm"), fm, data.Map, new { phase = "fm pre-training of an fnn", result.BestEpoch });
        return (result, ModelTransfer.Apply(config, fm.Parameters.ToDictionary(p => p.Name, p => p.Value), fnn));
    }

    // "D 90.0% of 480,000, R 90.0% of 741, F 40.0% of 13,000,000": what the run achieved, per component.
    private static string SparsitySummary(ModelPruner pruner) => string.Join(", ", pruner.Sparsity().OrderBy(kv => kv.Key)
        .Select(kv => $"{SparsityTargets.Letter(kv.Key)} {100.0 * kv.Value.Pruned / Math.Max(kv.Value.Total, 1):F1}% of {kv.Value.Total:N0}"));

    /// <summary>
    /// Rejects settings that cannot train (<see cref="ArgumentException"/> naming the key) before the data is read,
    /// so a typo costs milliseconds, not a cache build.
    /// </summary>
    public static void Validate(TrainRequest request) =>
        Validate(request, request.InitFrom is { } path ? ModelArtifact.Load(path) : null);

    /// <param name="init">The saved model training starts from, when it does.</param>
    private static void Validate(TrainRequest request, ModelArtifact? init)
    {
        request.Preprocessing.Validate();
        request.Training.Validate();
        if (request.Tests.Prepend(request.Valid).Any(file => file is { IsStdin: true }))
        {
            throw new ArgumentException("only the training data can be read from stdin ('-'); give validation and test data as files");
        }

        request.Pruning?.Validate(request.Training.Epochs);
        ModelConfig architecture = init is null || Transfers(request, init) ? request.Model : init.Config;
        if (!ModelRegistry.Names.Contains(architecture.Name))
        {
            throw new ArgumentException($"unknown model '{architecture.Name}'; known models: {string.Join(", ", ModelRegistry.Names)}.");
        }

        architecture.Validate();
        if (init is not null && Transfers(request, init))
        {
            // Refuses a transfer that is not meaningful (an FFM from an FM, say) before any data is read.
            _ = ModelTransfer.Plan(init.Config, request.Model, init.FeatureMap.Layout.FieldCount);
        }

        if (request.Pruning is { } pruning)
        {
            // Names a component the architecture lacks (R of a DeepFM, say) before any data is read: the model's parameters
            // over one-row fields (built without training state, in microseconds) say which components it has. Two fields,
            // or as many as OptEmbed's searched widths name.
            int fields = Math.Max(2, architecture.EmbeddingFieldDims.Length);
            var layout = new Features.FeatureLayout([.. Enumerable.Range(0, fields).Select(f => $"f{f}")], [.. Enumerable.Repeat(1, fields)]);
            _ = new ModelPruner(ModelRegistry.Create(architecture, layout).Parameters, layout, pruning.Targets);
        }

        if (request.Parallel is not null && (request.Pruning is not null || (architecture.Name == "fnn" && request.Training.FmPretrainEpochs > 0 && init is null)))
        {
            // Pruning hooks and FNN's FM phase step outside the exchange: their ranks would drift apart.
            throw new ArgumentException("distributed training does not prune or pre-train an FNN's FM; drop --sparsity, or give --fm-pretrain-epochs 0");
        }
    }
}
