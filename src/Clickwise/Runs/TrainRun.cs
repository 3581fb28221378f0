using System.Diagnostics;
using Clickwise.Data;
using Clickwise.Data.Pipeline;
using Clickwise.Inference;
using Clickwise.Metrics;
using Clickwise.Models;
using Clickwise.Training;

namespace Clickwise.Runs;

/// <summary>What a training run produced, for the CLI's report and for tests.</summary>
public sealed record TrainReport(
    long Rows,
    long TrainRows,
    long ValidRows,
    long TestRows,
    string BadLines,
    TrainingResult Training,
    EvaluationResult Test,
    long Parameters,
    double TrainSamplesPerSec,
    double PrepareSeconds,
    double TrainSeconds,
    string ModelPath);

/// <summary>
/// The one runner: fit the vocabulary and write the binary cache (two streaming passes), split, train with
/// per-epoch validation and early stopping, evaluate the restored best model on the held-out test part with the
/// compiled predictor, and save the model file atomically.
/// </summary>
public static class TrainRun
{
    public static TrainReport Execute(TrainRequest request, IEnumerable<ITrainingObserver>? observers = null,
                                      CancellationToken cancellationToken = default) =>
        Execute(request, request.Data.ReplayableOpener, observers, cancellationToken);

    /// <param name="openerFor">Makes the data's per-pass reader factory, given the work directory (stdin spools there).</param>
    internal static TrainReport Execute(TrainRequest request, Func<string, Func<IRecordReader>> openerFor,
                                        IEnumerable<ITrainingObserver>? observers, CancellationToken cancellationToken)
    {
        Validate(request);
        Directory.CreateDirectory(request.WorkDir);
        var clock = Stopwatch.StartNew();
        using PreparedDataset data = DatasetBuilder.Build(openerFor(request.WorkDir), request.Preprocessing,
            Path.Combine(request.WorkDir, "cache"));
        double prepareSeconds = clock.Elapsed.TotalSeconds;
        if (data.Train.RowCount == 0)
        {
            throw new InvalidDataException($"{request.Data.Path}: no training rows after the split ({data.Rows} rows in all)");
        }

        CtrModel model = ModelRegistry.Create(request.Model, data.Map.Layout, request.Training.BatchSize);
        var trainer = new Trainer(model, request.Training, new LogitEvaluator(Evaluation.FromLogits))
        {
            CheckpointPath = Path.Combine(request.WorkDir, "checkpoint.cwm"),
            FeatureMapJson = data.Map.ToJson(),
        };
        string metricsPath = Path.Combine(request.WorkDir, "metrics.jsonl");
        if (request.ResumeFrom is null)
        {
            // The writer appends (a resumed run continues its file); a fresh run must not inherit an old run's epochs.
            File.Delete(metricsPath);
        }

        using var metrics = new MetricsJsonlWriter(metricsPath);
        trainer.Observers.Add(metrics);
        trainer.Observers.AddRange(observers ?? []);
        if (request.ResumeFrom is not null)
        {
            trainer.Resume(request.ResumeFrom);
        }

        clock.Restart();
        TrainingResult training = trainer.Fit(data.Train, data.Valid.RowCount > 0 ? data.Valid : null, cancellationToken);
        double trainSeconds = clock.Elapsed.TotalSeconds;

        CompiledModel compiled = CompiledModel.Compile(model);
        EvaluationResult test = data.Test.RowCount > 0
            ? Evaluation.Run(compiled, data.Test).Result
            : new EvaluationResult(0, double.NaN, double.NaN, double.NaN, double.NaN, 0);
        double samplesPerSec = training.Epochs.Count == 0 ? 0 : training.Epochs.Average(e => e.SamplesPerSec);
        var summary = new
        {
            training.BestEpoch,
            test_auc = ConfigJson.Finite(test.Auc),
            test_logloss = ConfigJson.Finite(test.LogLoss),
            test_rows = test.Rows,
            train_samples_per_sec = ConfigJson.Finite(samplesPerSec),
            source = request.Data.Path,
        };
        ModelArtifact.Save(request.ModelPath, model, data.Map, summary);
        return new TrainReport(data.Rows, data.Train.RowCount, data.Valid.RowCount, data.Test.RowCount, data.Stats.ToString(),
            training, test, model.Parameters.TotalLength, samplesPerSec, prepareSeconds, trainSeconds, request.ModelPath);
    }

    /// <summary>
    /// Rejects settings that cannot train (<see cref="ArgumentException"/> naming the key) before the data is read,
    /// so a typo costs milliseconds, not a cache build.
    /// </summary>
    public static void Validate(TrainRequest request)
    {
        request.Preprocessing.Validate();
        request.Training.Validate();
        // The model's constructor is the one validator of an architecture; two one-row fields make it cheap.
        _ = ModelRegistry.Create(request.Model, new Features.FeatureLayout(["a", "b"], [1, 1]), maxBatchSize: 1);
    }
}
