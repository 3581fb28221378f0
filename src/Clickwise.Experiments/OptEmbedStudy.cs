using System.Diagnostics;
using Clickwise.Compression.EmbeddingSearch;
using Clickwise.Compression.Pruning;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Synthetic;
using Clickwise.Inference;
using Clickwise.Metrics;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Experiments;

/// <summary>
/// One model of an OptEmbed study: its test metrics, the paper's embedding sparsity (1 − Σ_f kept_f·D_f / (V·D)), the table
/// parameters it keeps, its per-field widths, the compiled plan's bytes and its measured speed; on synthetic data with
/// <see cref="OptEmbedStudyOptions.SyntheticTeacher"/>, which of its pruned rows the teacher calls rare; with a row mask, the
/// median training lookups of its pruned and kept rows.
/// </summary>
public sealed record OptEmbedRow(
    string Label,
    double TestAuc,
    double TestLogLoss,
    double Sparsity,
    long EmbeddingParameters,
    string Widths,
    long PlanBytes,
    double BatchSamplesPerSec,
    double P50Micros,
    string ModelPath,
    TeacherRareCheck? TeacherRare = null,
    PrunedRowCounts? Lookups = null);

/// <summary>
/// Seed 004's evaluation on one dataset and model: Table 2's row pair, Table 3's ablations, Table 4's retrain pair and the phase
/// times of the first pipeline run (full OptEmbed unless only ablations ran; no search generations when that is OptEmbed-E).
/// </summary>
public sealed record OptEmbedStudyReport(
    string Model,
    long TrainRows,
    long ValidRows,
    long TestRows,
    IReadOnlyList<OptEmbedRow> Rows,
    IReadOnlyList<double> SearchBestByGeneration,
    int SearchEvaluations,
    double SupernetSeconds,
    double SearchSeconds,
    double RetrainSeconds);

/// <summary>What an OptEmbed study runs beyond the base training request.</summary>
public sealed record OptEmbedStudyOptions
{
    /// <summary>α of the threshold penalty α·Σ exp(−t).</summary>
    public double Alpha { get; init; } = 1e-4;

    /// <summary>Plain SGD's rate for the thresholds.</summary>
    public double ThresholdLr { get; init; } = 1e-2;

    public RowThreshold Threshold { get; init; } = RowThreshold.Field;

    public EvolutionSettings Evolution { get; init; } = new();

    /// <summary>Where the retrained model starts: the supernet's start (FNN's FM pre-training included), its draw, or a fresh draw.</summary>
    public RetrainStart RetrainStart { get; init; } = RetrainStart.Rewind;

    /// <summary>Which pipelines run after the original: full OptEmbed (with QR and <see cref="Prune"/>), and the paper's Table 3 ablations.</summary>
    public OptEmbedVariants Variants { get; init; } = OptEmbedVariants.Full;

    /// <summary>
    /// m of the quotient-remainder baseline row (Table 2's QR); 0: size-matched, the m whose table is nearest OptEmbed's kept
    /// parameters (every field it shrinks compositional).
    /// </summary>
    public int QrCollisions { get; init; }

    public int LatencyRequests { get; init; } = 10_000;

    public int BatchSize { get; init; } = 10_000;

    /// <summary>DeepLight targets (paper notation) to prune the retrained OptEmbed model to, one more row; null: none.</summary>
    public string? Prune { get; init; }

    /// <summary>The data's synthetic profile: each masked row then reports which of its pruned rows are teacher-rare. Null: not synthetic.</summary>
    public TeacherCategories? SyntheticTeacher { get; init; }
}

/// <summary>
/// The original model, then OptEmbed's three phases on the same prepared data: the supernet (row thresholds and sampled
/// widths), the evolutionary search over per-field widths on the validation part, and retraining with the fixed mask and
/// widths; the searched supernet without retraining is measured too (Table 4), and the quotient-remainder baseline of
/// Table 2 (Shi et al., KDD'20) trained at OptEmbed's size.
/// </summary>
public static class OptEmbedStudy
{
    public static OptEmbedStudyReport Run(TrainRequest baseRequest, OptEmbedStudyOptions options,
                                          Func<string, IEnumerable<ITrainingObserver>>? observers = null,
                                          CancellationToken cancellationToken = default)
    {
        using StudyData study = StudyData.Prepare(baseRequest);
        return Run(study, baseRequest, options, observers, cancellationToken);
    }

    /// <summary>The study on data already prepared (several models and seeds share one preparation, <see cref="OptEmbedTable2"/>).</summary>
    internal static OptEmbedStudyReport Run(StudyData study, TrainRequest baseRequest, OptEmbedStudyOptions options,
                                          Func<string, IEnumerable<ITrainingObserver>>? observers = null,
                                          CancellationToken cancellationToken = default)
    {
        PreparedDataset data = study.Data;
        if (data.Valid.RowCount == 0)
        {
            throw new ArgumentException("OptEmbed's search scores candidates on the validation part; this split has none (give it a valid ratio).");
        }

        ModelConfig model = baseRequest.Model;
        var rows = new List<OptEmbedRow>();
        string PathOf(string label) => Path.Combine(baseRequest.WorkDir, StudyData.Slug(label));

        string Train(string label, ModelConfig config, TrainingConfig training, string? init = null, PruningConfig? pruning = null, string? start = null,
                     bool pretrainInit = false)
        {
            TrainRequest request = baseRequest with
            {
                Model = config, Training = training, InitFrom = init, WorkDir = PathOf(label), ModelPath = PathOf(label) + ".cwm", Pruning = pruning,
                StartPath = start, PretrainInit = pretrainInit,
            };
            study.Train(request, observers?.Invoke(label), cancellationToken);
            return request.ModelPath;
        }

        long[]? lookups = null; // each table row's training lookups, counted at the first masked model
        long[] Lookups() => lookups ??= PrunedRowCounts.Lookups(data.Train, data.Map.Layout.TotalRows);
        OptEmbedRow Measure(string label, string path)
        {
            ModelArtifact artifact = ModelArtifact.Load(path);
            CompiledModel compiled = artifact.Compile(compute: baseRequest.Compute);
            EvaluationResult test = Evaluation.Run(compiled, data.Test).Result;
            SpeedReport speed = SpeedProbe.Measure(compiled, study.SampleIds, study.SampleRows, options.LatencyRequests, options.BatchSize);
            RowMask? mask = RowMask.Of(artifact.Config, artifact.FeatureMap.Layout, artifact.Tensors);
            long fullParameters = (long)artifact.FeatureMap.Layout.TotalRows * artifact.Config.EmbeddingDim;
            long tableParameters = (long?)QuotientRemainderFields.Of(artifact.Config, artifact.FeatureMap.Layout)?.TableRows * artifact.Config.EmbeddingDim
                ?? fullParameters;
            var row = new OptEmbedRow(label, test.Auc, test.LogLoss, mask?.Sparsity ?? 1 - tableParameters / (double)fullParameters,
                mask?.KeptParameters() ?? tableParameters,
                mask is null || artifact.Config.EmbeddingFieldDims.Length == 0 ? "—" : string.Join(',', mask.FieldDims), compiled.Bytes,
                speed.BatchSamplesPerSec, speed.P50Micros, path,
                mask is not null && options.SyntheticTeacher is { } teacher ? TeacherRareCheck.Of(mask, artifact.FeatureMap, teacher, Lookups()) : null,
                mask is null ? null : PrunedRowCounts.Of(mask, Lookups()));
            rows.Add(row);
            return row;
        }

        TrainingConfig supernetTraining = baseRequest.Training with { ThresholdLr = options.ThresholdLr, ThresholdPenalty = options.Alpha };
        var evaluator = new LogitEvaluator(Evaluation.FromLogits);
        var clock = new Stopwatch();

        // One run of the phases: a supernet of `config`, the search when it samples widths, then the retrained model.
        (SearchResult? Search, double SupernetSeconds, double SearchSeconds, double RetrainSeconds) Phases(string label, ModelConfig config)
        {
            clock.Restart();
            string start = PathOf($"{label} supernet start") + ".cwm"; // after any FM pre-training: what the retrain rewinds to
            string supernetPath = Train($"{label} supernet", config, supernetTraining, start: start);
            double supernetSeconds = clock.Elapsed.TotalSeconds;
            CtrModel supernet = ModelArtifact.Load(supernetPath).Instantiate(Evaluation.BatchSize, baseRequest.Compute);
            var fitness = new SupernetFitness(supernet, evaluator, data.Valid, Evaluation.BatchSize);
            int fields = data.Map.Layout.FieldCount;
            int[] dims = [.. Enumerable.Repeat(model.EmbeddingDim, fields)];
            SearchResult? search = null;
            clock.Restart();
            if (config.EmbeddingDimSampling)
            {
                search = new EvolutionarySearch(options.Evolution, fields, model.EmbeddingDim, fitness.Auc, fitness.Parameters).Run();
                dims = [.. search.Best.Dims];
                string searched = PathOf($"{label} without retraining") + ".cwm";
                ModelArtifact.Save(searched, fitness.With(dims), data.Map, new { optembed = "supernet at the searched widths", from_model = supernetPath });
                Measure($"{label} without retraining", searched);
            }

            double searchSeconds = clock.Elapsed.TotalSeconds;
            string init = PathOf($"{label} init") + ".cwm";
            bool rewind = options.RetrainStart == RetrainStart.Rewind;
            ModelArtifact.Save(init, RetrainModel.Create(supernet, fitness.Mask, dims, options.RetrainStart, rewind ? ModelArtifact.Load(start).Tensors : null), data.Map,
                new { optembed = $"retrain start: {options.RetrainStart}", from_model = supernetPath, from_start = rewind ? start : null });
            clock.Restart();
            Measure(label, Train(label, ModelArtifact.Load(init).Config, baseRequest.Training, init, pretrainInit: options.RetrainStart == RetrainStart.Draw));
            return (search, supernetSeconds, searchSeconds, clock.Elapsed.TotalSeconds);
        }

        Measure("original", Train("original", model, baseRequest.Training));
        var timed = new List<(SearchResult? Search, double SupernetSeconds, double SearchSeconds, double RetrainSeconds)>();
        if (options.Variants.HasFlag(OptEmbedVariants.Full))
        {
            timed.Add(Phases("OptEmbed", model with { EmbeddingThreshold = options.Threshold, EmbeddingDimSampling = true }));
            if (options.Prune is { } targets)
            {
                // The compact model pruned further by DeepLight: it starts at once (the model is trained) and ends at exactly the targets.
                string compact = PathOf("OptEmbed") + ".cwm";
                Measure($"OptEmbed → DeepLight {targets}", Train("OptEmbed DeepLight", ModelArtifact.Load(compact).Config, baseRequest.Training, compact,
                    new PruningConfig { Sparsity = targets, WarmupEpochs = 0 }));
            }

            long kept = rows.Single(r => r.Label == "OptEmbed").EmbeddingParameters;
            (int Collisions, int Fields)? qr = options.QrCollisions > 0
                ? (options.QrCollisions, QuotientRemainderFields.ShrunkFields(data.Map.Layout, options.QrCollisions))
                : QuotientRemainderFields.SizeMatched(data.Map.Layout, kept / model.EmbeddingDim);
            if (qr is { Fields: > 0 } shape)
            {
                Measure("QR", Train("QR", model with { EmbeddingQrCollisions = shape.Collisions, EmbeddingQrFields = shape.Fields }, baseRequest.Training));
            }
        }

        if (options.Variants.HasFlag(OptEmbedVariants.RowsOnly))
        {
            timed.Add(Phases("OptEmbed-E", model with { EmbeddingThreshold = options.Threshold }));
        }

        if (options.Variants.HasFlag(OptEmbedVariants.WidthsOnly))
        {
            timed.Add(Phases("OptEmbed-D", model with { EmbeddingDimSampling = true }));
        }

        var (search, supernetSeconds, searchSeconds, retrainSeconds) = timed[0];
        return new OptEmbedStudyReport(model.Name, data.Train.RowCount, data.Valid.RowCount, data.Test.RowCount, rows,
            search?.BestByGeneration ?? [], search?.Evaluations ?? 0, supernetSeconds, searchSeconds, retrainSeconds);
    }
}
