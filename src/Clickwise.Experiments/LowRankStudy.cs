using Clickwise.Compression.LowRank;
using Clickwise.Data.Pipeline;
using Clickwise.Inference;
using Clickwise.Metrics;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Experiments;

/// <summary>
/// One model of a low-rank study: how it was made (base, control, a compression before (PT) or after (FT) its fine-tune
/// epoch), its test metrics, size and measured speed.
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

    /// <summary>Also compress with SVD in the same structure (Table 4).</summary>
    public bool SvdBaseline { get; init; } = true;

    /// <summary>Also compress without the ReLU between the factors (Table 6).</summary>
    public bool ReluAblation { get; init; }

    /// <summary>Further ranks of the compressed layers (Table 8), each a PT and an FT row.</summary>
    public IReadOnlyList<int> MlpRankSweep { get; init; } = [];

    /// <summary>Seeds: the base, control and main AFM rows run once per seed (Table 13).</summary>
    public int Seeds { get; init; } = 1;

    /// <summary>The fine-tune epoch's settings (appendix A.2: lr 1e-3, batch 20,000, dropout kept).</summary>
    public double FineTuneLearningRate { get; init; } = 1e-3;

    public int FineTuneBatchSize { get; init; } = 20_000;

    public int LatencyRequests { get; init; } = 10_000;

    public int BatchSize { get; init; } = 10_000;
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
        PreparedDataset data = study.Data;
        (int[] ids, int sampleRows) = (study.SampleIds, study.SampleRows);
        int[] widths = baseRequest.Model.HiddenUnits;
        RankSpec ranks = options.MlpRanks ?? RankSpec.Parse(string.Join(',', widths.Select((h, l) => l == 0 ? 0 : Math.Max(1, (int)Math.Round(0.16 * h)))));

        var rows = new List<LowRankRow>();
        var energy = new List<EnergyRow>();
        for (int s = 0; s < options.Seeds; s++)
        {
            int seed = baseRequest.Model.Seed + s;
            string Path(string label) => System.IO.Path.Combine(baseRequest.WorkDir, $"seed{seed}-{Slug(label)}");

            LowRankRow Measure(string label, string stage, string method, string rankText, string modelPath, double baseSpeed)
            {
                ModelArtifact artifact = ModelArtifact.Load(modelPath);
                CompiledModel compiled = artifact.Compile(compute: baseRequest.Compute);
                EvaluationResult test = Evaluation.Run(compiled, data.Test).Result;
                SpeedReport speed = SpeedProbe.Measure(compiled, ids, sampleRows, options.LatencyRequests, options.BatchSize);
                return new LowRankRow(label, stage, method, rankText, seed, test.Auc, test.LogLoss, artifact.ParameterCount,
                    speed.BatchSamplesPerSec, speed.P50Micros, modelPath)
                {
                    ThroughputGain = double.IsNaN(baseSpeed) ? 0 : speed.BatchSamplesPerSec / baseSpeed - 1,
                };
            }

            string Train(string label, string? init, TrainingConfig training)
            {
                TrainRequest request = baseRequest with
                {
                    Model = baseRequest.Model with { Seed = seed },
                    Training = training with { Seed = seed },
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

            void Compressed(string label, string method, RankSpec spec, bool innerRelu, bool keepEnergy)
            {
                ModelArtifact trained = ModelArtifact.Load(basePath);
                CtrModel model = trained.Instantiate(Math.Min(4096, baseRequest.Training.BatchSize * 4), baseRequest.Compute);
                LowRankCompression compression = method == "svd"
                    ? SvdMlp.Compress(model, spec, innerRelu)
                    : AfmMlp.Compress(model, data.Train, spec, innerRelu);
                string pretrained = Path(label) + "-pt.cwm";
                ModelArtifact.Save(pretrained, ModelRegistry.Load(compression.Config, data.Map.Layout, compression.Tensors), data.Map,
                    new { compression = method, ranks = spec.ToString(), inner_relu = innerRelu, from_model = basePath });
                string rankText = string.Join(',', compression.Config.MlpRanks);
                rows.Add(Measure(label, "PT", method, rankText, pretrained, baseSpeed));
                rows.Add(Measure(label, "FT", method, rankText, Train(label + " ft", pretrained, fineTune), baseSpeed));
                if (keepEnergy)
                {
                    energy.AddRange(compression.Layers.Select(l => new EnergyRow(
                        $"{l.Name} ({method})", l.Width, l.Rank, l.EnergyKept, l.RankHolding(0.90), l.RankHolding(0.95), l.RankHolding(0.99))));
                }
            }

            Compressed("AFM MLP", "afm", ranks, innerRelu: true, keepEnergy: s == 0);
            if (s > 0)
            {
                continue; // further seeds repeat only base, control and AFM (Table 13)
            }

            if (options.SvdBaseline)
            {
                Compressed("SVD MLP", "svd", ranks, innerRelu: false, keepEnergy: true);
            }

            if (options.ReluAblation)
            {
                Compressed("AFM MLP without the inner ReLU", "afm", ranks, innerRelu: false, keepEnergy: false);
            }

            foreach (int k in options.MlpRankSweep)
            {
                RankSpec swept = RankSpec.Parse(string.Join(',', ranks.Ranks!.Select(r => r == 0 ? 0 : k)));
                Compressed($"AFM MLP k = {k}", "afm", swept, innerRelu: true, keepEnergy: false);
            }
        }

        return new LowRankStudyReport(baseRequest.Model.Name, data.Train.RowCount, data.Test.RowCount, rows, energy);
    }

    private static string Slug(string label) => new([.. label.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
}
