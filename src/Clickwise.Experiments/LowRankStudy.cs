using Clickwise.Compression.LowRank;
using Clickwise.Compression.Pruning;
using Clickwise.Data.Pipeline;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.Metrics;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Experiments;

/// <summary>
/// One model of a low-rank study: how it was made (base, control, a compression before (PT) or after (FT) its fine-tune
/// epoch), its test metrics, size and measured speed. <see cref="Parameters"/> counts the trained form,
/// <see cref="PlanParameters"/> the compiled plan that serves it (with the embedding projection folded into the first DNN layer).
/// </summary>
public sealed record LowRankRow(
    string Label,
    string Stage,
    string Method,
    string Ranks,
    int Seed,
    double TestAuc,
    double TestLogLoss,
    long Parameters,
    long PlanParameters,
    double BatchSamplesPerSec,
    double P50Micros,
    string ModelPath)
{
    /// <summary>Batch throughput over the same seed's base, −1 (e.g. +0.25 = 25% more samples/s).</summary>
    public double ThroughputGain { get; init; }
}

/// <summary>The paper's Table 11 for one compressed layer: how many singular values hold 90/95/99% of their sum.</summary>
public sealed record EnergyRow(string Layer, int Width, int Rank, double EnergyKept, int For90, int For95, int For99);

/// <summary>Seed 002's evaluation on one dataset: Tables 2, 4, 6, 8, 11 and 13 in shape, with a control row.</summary>
public sealed record LowRankStudyReport(
    string Model,
    long TrainRows,
    long TestRows,
    IReadOnlyList<LowRankRow> Rows,
    IReadOnlyList<EnergyRow> Energy);

/// <summary>What a low-rank study runs beyond the base training request.</summary>
public sealed record LowRankStudyOptions
{
    /// <summary>Ranks of the DNN's hidden layers for the main AFM and SVD rows; null: 0,k,k… with k = 0.16·H (400 → 64, 2000 → 320).</summary>
    public RankSpec? MlpRanks { get; init; }

    /// <summary>k of the compressed embeddings (0 skips them); null: D/8 (the paper's Criteo 16 → 2).</summary>
    public int? EmbeddingRank { get; init; }

    /// <summary>Further embedding ranks (Table 7), each AFM on the base model's table, a PT and an FT row.</summary>
    public IReadOnlyList<int> EmbeddingRankSweep { get; init; } = [];

    /// <summary>Table 4's TTD rows: the inner rank of tensor trains for the two largest fields' tables (TT-SVD of the base model's); 0 skips them.</summary>
    public int TtRank { get; init; } = 16;

    /// <summary>
    /// Table 17's QR row: m of a model trained from scratch with quotient-remainder fields; null: sized to the AFM EMB table
    /// (V·k parameters, every field the m shrinks compositional); 0 skips it.
    /// </summary>
    public int? QrCollisions { get; init; }

    /// <summary>Also compress with SVD in the same structure (Table 4).</summary>
    public bool SvdBaseline { get; init; } = true;

    /// <summary>Also compress without the ReLU between the factors (Table 6).</summary>
    public bool ReluAblation { get; init; }

    /// <summary>Further ranks of the compressed layers (Table 8), each a PT and an FT row.</summary>
    public IReadOnlyList<int> MlpRankSweep { get; init; } = [];

    /// <summary>Seeds: the base, control, AFM pipeline and the AFM/SVD rows of Table 4 run once per seed (Table 13).</summary>
    public int Seeds { get; init; } = 1;

    /// <summary>The fine-tune epoch's settings (appendix A.2: lr 1e-3, batch 20,000, dropout kept).</summary>
    public double FineTuneLearningRate { get; init; } = 1e-3;

    public int FineTuneBatchSize { get; init; } = 20_000;

    /// <summary>The embedding stage's fine-tune batch (appendix A.2: 10,000 on Criteo), run without dropout.</summary>
    public int FineTuneEmbeddingBatchSize { get; init; } = 10_000;

    public int LatencyRequests { get; init; } = 10_000;

    public int BatchSize { get; init; } = 10_000;

    /// <summary>
    /// DeepLight targets (e.g. "D-90% &amp; R-90% &amp; F-40%") for the rows combining both compressions (issue 12, item 8): the AFM
    /// pipeline's fine-tuned model pruned, and the base pruned then compressed; null: no such rows.
    /// </summary>
    public string? Prune { get; init; }

    /// <summary>Epochs each pruning run trains, at the base's settings (their smaller batches give the schedule steps to recover in).</summary>
    public int PruneEpochs { get; init; } = 1;
}

/// <summary>
/// Base model (the preset's epochs: the paper trains one), a control (the base plus one epoch at the fine-tune settings,
/// so any gain is not just more training), and each compression before and after its own fine-tune epoch.
/// </summary>
public static class LowRankStudy
{
    public static LowRankStudyReport Run(TrainRequest baseRequest, LowRankStudyOptions options,
                                         Func<string, IEnumerable<ITrainingObserver>>? observers = null,
                                         CancellationToken cancellationToken = default)
    {
        using StudyData study = StudyData.Prepare(baseRequest);
        return Run(study, baseRequest, options, observers, cancellationToken);
    }

    /// <summary>
    /// The study for each of several models (paper Table 2) on data prepared once; each model trains with its own
    /// architecture and settings (a per-model preset) in its own folder of the work directory.
    /// </summary>
    public static IReadOnlyList<LowRankStudyReport> RunModels(TrainRequest baseRequest, IReadOnlyList<string> models,
                                                              Func<string, ModelConfig> modelFor, Func<string, TrainingConfig> trainingFor,
                                                              LowRankStudyOptions options,
                                                              Func<string, IEnumerable<ITrainingObserver>>? observers = null,
                                                              CancellationToken cancellationToken = default)
    {
        using StudyData study = StudyData.Prepare(baseRequest);
        return [.. models.Select(name => Run(study, baseRequest with
        {
            Model = modelFor(name),
            Training = trainingFor(name),
            WorkDir = System.IO.Path.Combine(baseRequest.WorkDir, name),
        }, options, observers is null ? null : label => observers($"{name}: {label}"), cancellationToken))];
    }

    private static LowRankStudyReport Run(StudyData study, TrainRequest baseRequest, LowRankStudyOptions options,
                                          Func<string, IEnumerable<ITrainingObserver>>? observers, CancellationToken cancellationToken)
    {
        PreparedDataset data = study.Data;
        (int[] ids, int sampleRows) = (study.SampleIds, study.SampleRows);
        int[] widths = baseRequest.Model.HiddenUnits;
        int embeddingRank = options.EmbeddingRank ?? Math.Max(1, baseRequest.Model.EmbeddingDim / 8);
        RankSpec ranks = options.MlpRanks ?? RankSpec.Parse(string.Join(',', widths.Select((h, l) => l == 0 ? 0 : Math.Max(1, (int)Math.Round(0.16 * h)))));

        var rows = new List<LowRankRow>();
        var energy = new List<EnergyRow>();
        for (int s = 0; s < options.Seeds; s++)
        {
            int seed = baseRequest.Model.Seed + s;
            string Path(string label) => System.IO.Path.Combine(baseRequest.WorkDir, $"seed{seed}-{StudyData.Slug(label)}");

            LowRankRow Measure(string label, string stage, string method, string rankText, string modelPath, double baseSpeed)
            {
                ModelArtifact artifact = ModelArtifact.Load(modelPath);
                CompiledModel compiled = artifact.Compile(compute: baseRequest.Compute);
                EvaluationResult test = Evaluation.Run(compiled, data.Test).Result;
                SpeedReport speed = SpeedProbe.Measure(compiled, ids, sampleRows, options.LatencyRequests, options.BatchSize);
                // A pruned model counts its non-zero parameters, as the DeepLight study does.
                long parameters = artifact.IsPruned ? artifact.NonZeroParameterCount : artifact.ParameterCount;
                return new LowRankRow(label, stage, method, rankText, seed, test.Auc, test.LogLoss, parameters,
                    compiled.ParameterCount, speed.BatchSamplesPerSec, speed.P50Micros, modelPath)
                {
                    ThroughputGain = double.IsNaN(baseSpeed) ? 0 : speed.BatchSamplesPerSec / baseSpeed - 1,
                };
            }

            string Train(string label, string? init, TrainingConfig training, PruningConfig? pruning = null, ModelConfig? model = null)
            {
                TrainRequest request = baseRequest with
                {
                    Model = (model ?? baseRequest.Model) with { Seed = seed },
                    Training = training with { Seed = seed },
                    Pruning = pruning,
                    InitFrom = init,
                    WorkDir = Path(label),
                    ModelPath = Path(label) + ".cwm",
                };
                study.Train(request, observers?.Invoke(label), cancellationToken);
                return request.ModelPath;
            }

            TrainingConfig fineTune = baseRequest.Training with
            {
                Epochs = 1,
                LearningRate = options.FineTuneLearningRate,
                BatchSize = options.FineTuneBatchSize,
            };

            string basePath = Train("base", null, baseRequest.Training);
            LowRankRow baseRow = Measure("base", "—", "none", "—", basePath, double.NaN);
            double baseSpeed = baseRow.BatchSamplesPerSec;
            rows.Add(baseRow);
            rows.Add(Measure("control (base + 1 FT epoch)", "FT", "none", "—", Train("control", basePath, fineTune), baseSpeed));

            TrainingConfig embeddingFineTune = fineTune with { BatchSize = options.FineTuneEmbeddingBatchSize };
            TrainingConfig pruneTraining = baseRequest.Training with { Epochs = options.PruneEpochs };

            // One compression of the model at `from`, saved (PT) and fine-tuned one epoch (FT); returns the FT model's path.
            // With pruning, the fine-tune prunes too, at the pruning runs' settings: it keeps the zeros of the model compressed and
            // prunes the new factors.
            string Compressed(string label, string method, string from, Func<CtrModel, LowRankCompression> compress, bool keepEnergy,
                              bool embeddings, PruningConfig? pruning = null)
            {
                CtrModel model = ModelArtifact.Load(from).Instantiate(Math.Min(4096, baseRequest.Training.BatchSize * 4), baseRequest.Compute);
                LowRankCompression compression = compress(model);
                // Appendix A.2: the embedding stage fine-tunes without dropout; the model description carries the setting.
                ModelConfig config = embeddings ? compression.Config with { Dropout = 0f } : compression.Config;
                string pretrained = Path(label) + "-pt.cwm";
                ModelArtifact.Save(pretrained, ModelRegistry.Load(config, data.Map.Layout, compression.Tensors), data.Map,
                    new { compression = method, from_model = from });
                string rankText = Ranks(config);
                rows.Add(Measure(label, "PT", method, rankText, pretrained, baseSpeed));
                string tuned = Train(label + " ft", pretrained, pruning is not null ? pruneTraining : embeddings ? embeddingFineTune : fineTune, pruning);
                rows.Add(Measure(label, "FT", method, rankText, tuned, baseSpeed));
                if (keepEnergy)
                {
                    energy.AddRange(compression.Layers.Select(l => new EnergyRow(
                        $"{l.Name} ({method})", l.Width, l.Rank, l.EnergyKept, l.RankHolding(0.90), l.RankHolding(0.95), l.RankHolding(0.99))));
                }

                return tuned;
            }

            string Mlp(string label, string method, RankSpec spec, bool innerRelu, bool keepEnergy, string? from = null,
                       PruningConfig? pruning = null) =>
                Compressed(label, method, from ?? basePath, model => method == "svd"
                    ? SvdMlp.Compress(model, spec, innerRelu)
                    : AfmMlp.Compress(model, data.Train, spec, innerRelu), keepEnergy, embeddings: false, pruning);

            string Embeddings(string label, string method, string from, int rank, bool keepEnergy, PruningConfig? pruning = null) =>
                Compressed(label, method, from, model => method == "svd"
                    ? LowRankEmbedding.Svd(model, rank)
                    : LowRankEmbedding.Afm(model, data.Train, rank), keepEnergy, embeddings: true, pruning);

            // Table 2's pipeline: AFM on the DNN, fine-tune, then AFM on the embeddings of that model, fine-tune.
            string afmMlp = Mlp("AFM MLP", "afm", ranks, innerRelu: true, keepEnergy: s == 0);
            string afmMlpEmb = embeddingRank > 0 ? Embeddings("AFM MLP + EMB", "afm", afmMlp, embeddingRank, keepEnergy: s == 0) : afmMlp;

            if (options.SvdBaseline)
            {
                Mlp("SVD MLP", "svd", ranks, innerRelu: false, keepEnergy: s == 0);
            }

            // Table 4's embedding rows: each method on the base model's table alone.
            if (embeddingRank > 0)
            {
                Embeddings("AFM EMB", "afm", basePath, embeddingRank, keepEnergy: false);
                if (options.SvdBaseline)
                {
                    Embeddings("SVD EMB", "svd", basePath, embeddingRank, keepEnergy: s == 0);
                }
            }

            if (options.TtRank > 0)
            {
                Compressed("TT EMB", "tt", basePath, model => LowRankEmbedding.Tt(model, options.TtRank, fields: 2), keepEnergy: false, embeddings: true);
            }

            // Table 17's QR baseline: a model of that size trained from scratch like the base.
            FeatureLayout layout = data.Map.Layout;
            (int Collisions, int Fields)? qr = options.QrCollisions is { } m
                ? m > 0 ? (m, QuotientRemainderFields.ShrunkFields(layout, m)) : null
                : QuotientRemainderFields.SizeMatched(layout, (long)layout.TotalRows * Math.Max(1, embeddingRank) / baseRequest.Model.EmbeddingDim);
            if (qr is { Fields: > 0 } shape)
            {
                ModelConfig qrModel = baseRequest.Model with { EmbeddingQrCollisions = shape.Collisions, EmbeddingQrFields = shape.Fields };
                rows.Add(Measure("QR EMB", "—", "qr", Ranks(qrModel), Train("QR EMB", null, baseRequest.Training, model: qrModel), baseSpeed));
            }

            if (s > 0)
            {
                continue; // further seeds repeat the base, control, AFM pipeline and Table 4's rows (Table 13)
            }

            if (options.ReluAblation)
            {
                Mlp("AFM MLP without the inner ReLU", "afm", ranks, innerRelu: false, keepEnergy: false);
                if (options.SvdBaseline)
                {
                    // The paper's SVD in "the same structure" as AFM: its uncentred factors lose the half the ReLU cuts.
                    Mlp("SVD MLP with the inner ReLU", "svd", ranks, innerRelu: true, keepEnergy: false);
                }
            }

            foreach (int k in options.MlpRankSweep)
            {
                RankSpec swept = RankSpec.Parse(string.Join(',', ranks.Ranks!.Select(r => r == 0 ? 0 : k)));
                Mlp($"AFM MLP k = {k}", "afm", swept, innerRelu: true, keepEnergy: false);
            }

            foreach (int k in options.EmbeddingRankSweep)
            {
                Embeddings($"AFM EMB k = {k}", "afm", basePath, k, keepEnergy: false);
            }

            // Issue 12, item 8: both compressions on one model, each way round, with DeepLight alone for reference. Pruning starts at
            // once (the models are trained) and ends at exactly the targets.
            if (options.Prune is { } targets)
            {
                var pruning = new PruningConfig { Sparsity = targets, WarmupEpochs = 0 };
                string afmLabel = embeddingRank > 0 ? "AFM MLP + EMB" : "AFM MLP";
                string afmThenPruned = Train($"{afmLabel} → DeepLight", afmMlpEmb, pruneTraining, pruning);
                rows.Add(Measure($"{afmLabel} → DeepLight {targets}", "FT", "afm, deeplight", Ranks(ModelArtifact.Load(afmThenPruned).Config),
                    afmThenPruned, baseSpeed));
                string pruned = Train("DeepLight", basePath, pruneTraining, pruning);
                rows.Add(Measure($"DeepLight {targets}", "FT", "deeplight", "—", pruned, baseSpeed));
                string prunedThenAfm = Mlp($"DeepLight {targets} → AFM MLP", "afm", ranks, innerRelu: true, keepEnergy: false, pruned, pruning);
                if (embeddingRank > 0)
                {
                    Embeddings($"DeepLight {targets} → AFM MLP + EMB", "afm", prunedThenAfm, embeddingRank, keepEnergy: false, pruning);
                }
            }
        }

        return new LowRankStudyReport(baseRequest.Model.Name, data.Train.RowCount, data.Test.RowCount, rows, energy);
    }

    /// <summary>The ranks a model carries: its DNN layers', then its embeddings' when compressed.</summary>
    private static string Ranks(ModelConfig config) =>
        string.Join(' ', new[]
        {
            config.MlpRanks.Length > 0 ? $"mlp {string.Join(',', config.MlpRanks)}" : null,
            config.EmbeddingRank > 0 ? $"emb {config.EmbeddingRank}" : null,
            config.EmbeddingTtRank > 0 ? $"tt {config.EmbeddingTtRank} × {config.EmbeddingTtFields} fields" : null,
            config.EmbeddingQrCollisions > 0 ? $"qr m {config.EmbeddingQrCollisions} × {config.EmbeddingQrFields} fields" : null,
        }.Where(r => r is not null));
}
