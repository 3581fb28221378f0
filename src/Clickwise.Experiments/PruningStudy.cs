using System.Diagnostics;
using Clickwise.Compression.Pruning;
using Clickwise.Data;
using Clickwise.Data.Pipeline;
using Clickwise.Inference;
using Clickwise.Metrics;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Experiments;

/// <summary>One trained model of a study: its settings, test metrics, size and measured speed.</summary>
public sealed record PruningStudyRow(
    string Label,
    string Sparsity,
    int[] HiddenUnits,
    int Seed,
    double ValidAuc,
    double TestAuc,
    double TestLogLoss,
    long Parameters,
    long NonZeroParameters,
    long DnnNonZero,
    long CompiledBytes,
    long SmallestBytes,
    double BytesRatio,
    double P50Micros,
    double P99Micros,
    double BatchSamplesPerSec,
    double SpeedUp,
    string ModelPath);

/// <summary>The ensemble picked for one latency budget: how many models fit, their measured latency and test metrics.</summary>
public sealed record EnsembleRow(double BudgetMicros, int Models, double P50Micros, double TestAuc, double TestLogLoss);

/// <summary>
/// DeepLight's evaluation on one dataset and split: Table 5 (dense vs three pruning settings), Table 3 (each pruned
/// network against a dense one with as many DNN parameters, "N-X"), and §5.4's ensembles of pruned models under a
/// latency budget.
/// </summary>
public sealed record PruningStudyReport(
    long TestRows,
    IReadOnlyList<PruningStudyRow> Settings,
    IReadOnlyList<PruningStudyRow> SizeMatched,
    IReadOnlyList<PruningStudyRow> EnsembleMembers,
    IReadOnlyList<EnsembleRow> Ensembles);

/// <summary>A named pruning setting of the study.</summary>
public sealed record PruningSetting(string Label, string? Sparsity);

/// <summary>What a study runs beyond the base training request.</summary>
public sealed record PruningStudyOptions
{
    /// <summary>The paper's Table 5 rows.</summary>
    public static IReadOnlyList<PruningSetting> PaperSettings { get; } =
    [
        new("Dense", null),
        new("High performance", "D-90% & R-90% & F-40%"),
        new("Low memory", "D-90% & R-90% & F-90%"),
        new("Low latency", "D-99% & R-95% & F-40%"),
    ];

    public IReadOnlyList<PruningSetting> Settings { get; init; } = PaperSettings;

    /// <summary>Train the size-matched dense network (N-X) for every setting that prunes the DNN.</summary>
    public bool SizeMatched { get; init; } = true;

    /// <summary>Models (seeds) of the last setting trained for ensembles; 1 or less skips ensembles.</summary>
    public int EnsembleModels { get; init; } = 4;

    /// <summary>Latency budgets as multiples of the single pruned model's p50.</summary>
    public IReadOnlyList<double> BudgetMultiples { get; init; } = [1.5, 2.5, 4.5];

    public int LatencyRequests { get; init; } = 10_000;

    public int BatchSize { get; init; } = 10_000;
}

public static class PruningStudy
{
    public static PruningStudyReport Run(TrainRequest baseRequest, PruningStudyOptions options,
                                         Func<string, IEnumerable<ITrainingObserver>>? observers = null,
                                         CancellationToken cancellationToken = default)
    {
        using StudyData study = StudyData.Prepare(baseRequest);
        PreparedDataset data = study.Data;
        (int[] ids, int rows) = (study.SampleIds, study.SampleRows);
        float[] labels = Labels(data.Test);

        PruningStudyRow Train(string label, string? sparsity, int[] hidden, int seed, out float[] probabilities)
        {
            string slug = StudyData.Slug(label);
            TrainRequest request = baseRequest with
            {
                Model = baseRequest.Model with { HiddenUnits = hidden, Seed = seed },
                Training = baseRequest.Training with { Seed = seed },
                Pruning = sparsity is null ? null : (baseRequest.Pruning ?? new PruningConfig()) with { Sparsity = sparsity },
                WorkDir = Path.Combine(baseRequest.WorkDir, slug),
                ModelPath = Path.Combine(baseRequest.WorkDir, slug + ".cwm"),
            };
            TrainReport report = study.Train(request, observers?.Invoke(label), cancellationToken);
            ModelArtifact artifact = ModelArtifact.Load(request.ModelPath);
            CompiledModel compiled = artifact.Compile();
            SpeedReport speed = SpeedProbe.Measure(compiled, ids, rows, options.LatencyRequests, options.BatchSize);
            probabilities = Probabilities(compiled, data.Test);
            long nonZero = artifact.Tensors.Values.Sum(t => (long)t.Count(v => v != 0f));
            long dnnNonZero = artifact.Tensors.Where(kv => kv.Key.StartsWith("mlp.", StringComparison.Ordinal) && kv.Key.EndsWith(".weight", StringComparison.Ordinal))
                .Sum(kv => (long)kv.Value.Count(v => v != 0f));
            return new PruningStudyRow(label, sparsity ?? "None", hidden, seed, report.Training.Epochs.LastOrDefault()?.ValidAuc ?? double.NaN,
                report.Test.Auc, report.Test.LogLoss, artifact.ParameterCount, nonZero, dnnNonZero, compiled.Bytes,
                artifact.Compile(objective: PlanObjective.Memory).Bytes, 1.0, speed.P50Micros, speed.P99Micros, speed.BatchSamplesPerSec, 1.0, request.ModelPath);
        }

        int baseSeed = baseRequest.Model.Seed;
        int[] baseHidden = baseRequest.Model.HiddenUnits;
        var settings = new List<PruningStudyRow>();
        var lastProbabilities = new List<float[]>();
        foreach (PruningSetting setting in options.Settings)
        {
            settings.Add(Train(setting.Label, setting.Sparsity, baseHidden, baseSeed, out float[] p));
            lastProbabilities.Add(p);
        }

        double denseP50 = settings.FirstOrDefault(r => r.Sparsity == "None")?.P50Micros ?? double.NaN;
        double denseBytes = settings.FirstOrDefault(r => r.Sparsity == "None")?.SmallestBytes ?? double.NaN;
        settings = [.. settings.Select(r => r with { SpeedUp = denseP50 / r.P50Micros, BytesRatio = r.SmallestBytes / denseBytes })];

        var sizeMatched = new List<PruningStudyRow>();
        if (options.SizeMatched)
        {
            int inputs = data.Map.FieldCount * baseRequest.Model.EmbeddingDim;
            foreach (PruningStudyRow pruned in settings.Where(r => r.Sparsity != "None"))
            {
                SparsityTargets targets = SparsityTargets.Parse(pruned.Sparsity);
                if (!targets.Prunes(PruningComponent.Dnn))
                {
                    continue;
                }

                int width = MatchingWidth(pruned.DnnNonZero, inputs, baseHidden.Length);
                string rest = string.Join(" & ", targets.ToPaperNotation().Split(" & ").Where(p => !p.StartsWith('D')));
                PruningStudyRow row = Train($"N-{width} ({pruned.Label})", rest.Length == 0 ? null : rest,
                    [.. Enumerable.Repeat(width, baseHidden.Length)], baseSeed, out _);
                sizeMatched.Add(row with { SpeedUp = denseP50 / row.P50Micros, BytesRatio = row.SmallestBytes / denseBytes });
            }
        }

        var members = new List<PruningStudyRow>();
        var ensembles = new List<EnsembleRow>();
        PruningSetting? ensembled = options.Settings.LastOrDefault(s => s.Sparsity is not null);
        if (options.EnsembleModels > 1 && ensembled is not null && data.Test.RowCount > 0)
        {
            var memberProbabilities = new List<float[]>();
            int first = options.Settings.ToList().IndexOf(ensembled);
            members.Add(settings[first]);
            memberProbabilities.Add(lastProbabilities[first]);
            for (int k = 1; k < options.EnsembleModels; k++)
            {
                members.Add(Train($"{ensembled.Label} seed {baseSeed + k}", ensembled.Sparsity, baseHidden, baseSeed + k, out float[] p));
                memberProbabilities.Add(p);
            }

            ensembles.AddRange(Ensembles(members, memberProbabilities, labels, ids, rows, options));
        }

        return new PruningStudyReport(data.Test.RowCount, settings, sizeMatched, members, ensembles);
    }

    /// <summary>
    /// The hidden width h of a dense DNN of the same depth whose weights number as many as a pruned DNN's survivors:
    /// inputs·h + (depth − 1)·h² + h = nonZero.
    /// </summary>
    public static int MatchingWidth(long nonZero, int inputs, int depth)
    {
        double a = depth - 1, b = inputs + 1.0;
        double h = a == 0 ? nonZero / b : (-b + Math.Sqrt(b * b + 4 * a * nonZero)) / (2 * a);
        return Math.Max(1, (int)Math.Round(h));
    }

    // Greedy by validation AUC (never by test AUC): as many members as the budget holds, summing their p50s; the
    // combined model's own latency is then measured, running the members one after another on one thread.
    private static IEnumerable<EnsembleRow> Ensembles(List<PruningStudyRow> members, List<float[]> probabilities, float[] labels,
                                                      int[] ids, int rows, PruningStudyOptions options)
    {
        int[] order = [.. Enumerable.Range(0, members.Count).OrderByDescending(i => members[i].ValidAuc)];
        double single = members[order[0]].P50Micros;
        CompiledModel[] compiled = [.. members.Select(m => ModelArtifact.Load(m.ModelPath).Compile())];
        foreach (double multiple in options.BudgetMultiples)
        {
            double budget = single * multiple;
            var chosen = new List<int>();
            double predicted = 0;
            foreach (int i in order)
            {
                if (predicted + members[i].P50Micros <= budget || chosen.Count == 0)
                {
                    chosen.Add(i);
                    predicted += members[i].P50Micros;
                }
            }

            // The sum of p50s is a guess; the budget holds for the measured ensemble, so drop members until it does.
            double p50 = EnsembleLatency([.. chosen.Select(i => compiled[i])], ids, rows, options.LatencyRequests);
            while (p50 > budget && chosen.Count > 1)
            {
                chosen.RemoveAt(chosen.Count - 1);
                p50 = EnsembleLatency([.. chosen.Select(i => compiled[i])], ids, rows, options.LatencyRequests);
            }

            var mean = new float[labels.Length];
            foreach (int i in chosen)
            {
                for (int r = 0; r < mean.Length; r++)
                {
                    mean[r] += probabilities[i][r] / chosen.Count;
                }
            }

            var accumulator = new MetricAccumulator(Math.Max(1, labels.Length));
            accumulator.AddProbabilities(mean, labels);
            EvaluationResult result = accumulator.Result();
            yield return new EnsembleRow(budget, chosen.Count, p50, result.Auc, result.LogLoss);
        }
    }

    private static double EnsembleLatency(CompiledModel[] models, int[] ids, int rows, int requests)
    {
        int f = models[0].FieldCount;
        InferenceTape[] tapes = [.. models.Select(m => m.CreateTape(1))];
        double[] micros = new double[requests];
        float sink = 0;
        // Warm up by count and by time (see SpeedProbe.WarmupMilliseconds), then time `requests` requests.
        long warmupEnd = Stopwatch.GetTimestamp() + Stopwatch.Frequency * SpeedProbe.WarmupMilliseconds / 1000;
        int warmup = 0;
        while (warmup < Math.Min(2000, requests) || Stopwatch.GetTimestamp() < warmupEnd)
        {
            for (int m = 0; m < models.Length; m++)
            {
                sink += models[m].PredictProbability(ids.AsSpan(warmup % rows * f, f), default, tapes[m]);
            }

            warmup++;
        }

        for (int i = 0; i < requests; i++)
        {
            ReadOnlySpan<int> row = ids.AsSpan(i % rows * f, f);
            long t0 = Stopwatch.GetTimestamp();
            float p = 0;
            for (int m = 0; m < models.Length; m++)
            {
                p += models[m].PredictProbability(row, default, tapes[m]);
            }

            sink += p / models.Length;
            micros[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }

        GC.KeepAlive(sink);
        Array.Sort(micros);
        return micros[requests / 2];
    }

    private static float[] Labels(IBatchSource test)
    {
        var labels = new List<float>();
        foreach (Batch batch in test.Batches(Evaluation.BatchSize, shuffle: false, seed: 0))
        {
            labels.AddRange(batch.LabelsInUse.ToArray());
        }

        return [.. labels];
    }

    private static float[] Probabilities(CompiledModel model, IBatchSource test)
    {
        var all = new List<float>();
        InferenceTape tape = model.CreateTape(1024);
        float[] logits = new float[Evaluation.BatchSize];
        foreach (Batch batch in test.Batches(Evaluation.BatchSize, shuffle: false, seed: 0))
        {
            Span<float> z = logits.AsSpan(0, batch.Count);
            model.PredictLogits(batch, z, tape);
            foreach (float logit in z)
            {
                all.Add((float)Clickwise.Metrics.LogLoss.Sigmoid(logit));
            }
        }

        return [.. all];
    }
}
