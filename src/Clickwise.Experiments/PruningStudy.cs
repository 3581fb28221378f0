using Clickwise.Compression.Pruning;
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
    string ModelPath)
{
    /// <summary>For a size-matched network (N-X), the label of the pruned setting it is matched to; else null.</summary>
    public string? Matches { get; init; }
}

/// <summary>The ensemble picked for one latency budget: how many models fit, their measured latency and test metrics.</summary>
public sealed record EnsembleRow(double BudgetMicros, int Models, double P50Micros, double TestAuc, double TestLogLoss);

/// <summary>
/// DeepLight's evaluation on one dataset and split: Table 5 (dense vs three pruning settings), Table 3 (each pruned
/// network against a dense one with as many DNN parameters, "N-X"), and §5.4's ensembles of pruned models under a
/// latency budget. Settings and size-matched networks hold one row per seed.
/// </summary>
public sealed record PruningStudyReport(
    long TestRows,
    IReadOnlyList<PruningStudyRow> Settings,
    IReadOnlyList<PruningStudyRow> SizeMatched,
    IReadOnlyList<PruningStudyRow> EnsembleMembers,
    IReadOnlyList<EnsembleRow> Ensembles)
{
    /// <summary>Table 4 (E-X): for each setting that prunes the embeddings, a dense table of the dimension with as many values.</summary>
    public IReadOnlyList<PruningStudyRow> EmbeddingMatched { get; init; } = [];
}

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

    /// <summary>
    /// The paper's settings for a model: Table 5's for DeepFwFM; Tables 7-8's one pruned setting for sDeepFM and sNFM
    /// (D-98% &amp; F-40%) and sXDeepFM (D-99% &amp; C-99% &amp; F-40%), each after the dense model; null for a model the
    /// paper does not prune.
    /// </summary>
    public static IReadOnlyList<PruningSetting>? PaperSettingsFor(string model) => model switch
    {
        "deepfwfm" => PaperSettings,
        "deepfm" => [PaperSettings[0], new("sDeepFM", "D-98% & F-40%")],
        "nfm" => [PaperSettings[0], new("sNFM", "D-98% & F-40%")],
        "xdeepfm" => [PaperSettings[0], new("sXDeepFM", "D-99% & C-99% & F-40%")],
        _ => null,
    };

    /// <summary>
    /// A sweep's settings (Figs. 3-4): the dense model, then one setting per comma-separated item of paper notation
    /// ("D-80%,D-90%,D-99% &amp; R-95%"), each labelled by its targets; a <see cref="FormatException"/> naming a bad item.
    /// </summary>
    public static IReadOnlyList<PruningSetting> ParseSettings(string list)
    {
        string[] items = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            throw new FormatException("no settings; expected e.g. \"D-80%,D-90%,D-99% & F-40%\"");
        }

        return [PaperSettings[0], .. items.Select(item => SparsityTargets.Parse(item).ToPaperNotation()).Select(targets => new PruningSetting(targets, targets))];
    }

    public IReadOnlyList<PruningSetting> Settings { get; init; } = PaperSettings;

    /// <summary>Seeds of every setting and size-matched network (from the request's seed on), for mean ± std and p-values.</summary>
    public int Seeds { get; init; } = 1;

    /// <summary>Train the size-matched dense network (N-X) for every setting that prunes the DNN.</summary>
    public bool SizeMatched { get; init; } = true;

    /// <summary>Train the dense embedding of matching dimension (E-X) for every setting that prunes the embeddings.</summary>
    public bool EmbeddingMatched { get; init; } = true;

    /// <summary>Models (seeds) of the last setting trained for ensembles; 1 or less skips ensembles.</summary>
    public int EnsembleModels { get; init; } = 4;

    /// <summary>Latency budgets as multiples of the single pruned model's p50.</summary>
    public IReadOnlyList<double> BudgetMultiples { get; init; } = [1.5, 2.5, 4.5];

    public int LatencyRequests { get; init; } = 10_000;

    public int BatchSize { get; init; } = 10_000;
}

public static class PruningStudy
{
    /// <param name="resumeFrom">
    /// An earlier, interrupted study of the same data: each model it finished (same label, sparsity, seed and hidden
    /// widths, its model file still there) is kept and not trained again.
    /// </param>
    /// <param name="progress">Called with the report so far after every trained model, so a long study can save as it goes.</param>
    public static PruningStudyReport Run(TrainRequest baseRequest, PruningStudyOptions options,
                                         Func<string, IEnumerable<ITrainingObserver>>? observers = null,
                                         CancellationToken cancellationToken = default,
                                         PruningStudyReport? resumeFrom = null, Action<PruningStudyReport>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Seeds, 1);
        using StudyData study = StudyData.Prepare(baseRequest);
        PreparedDataset data = study.Data;
        (int[] ids, int rows) = (study.SampleIds, study.SampleRows);
        if (resumeFrom is not null && resumeFrom.TestRows != data.Test.RowCount)
        {
            throw new InvalidDataException($"cannot resume: the earlier study has {resumeFrom.TestRows:N0} test rows, this run {data.Test.RowCount:N0}");
        }

        PruningStudyRow[] earlier = resumeFrom is null ? []
            : [.. resumeFrom.Settings, .. resumeFrom.SizeMatched, .. resumeFrom.EmbeddingMatched, .. resumeFrom.EnsembleMembers];
        var settings = new List<PruningStudyRow>();
        var sizeMatched = new List<PruningStudyRow>();
        var embeddingMatched = new List<PruningStudyRow>();
        var members = new List<PruningStudyRow>();

        PruningStudyRow Train(string label, string? sparsity, int[] hidden, int seed, int? embeddingDim = null)
        {
            string sparsityText = sparsity ?? "None";
            PruningStudyRow? done = earlier.FirstOrDefault(r => r.Label == label && r.Sparsity == sparsityText && r.Seed == seed
                                                                && r.HiddenUnits.SequenceEqual(hidden) && File.Exists(r.ModelPath));
            if (done is not null)
            {
                return done;
            }

            string slug = StudyData.Slug(label);
            slug += seed == baseRequest.Model.Seed ? "" : $"-seed{seed}";
            TrainRequest request = baseRequest with
            {
                Model = baseRequest.Model with { HiddenUnits = hidden, Seed = seed, EmbeddingDim = embeddingDim ?? baseRequest.Model.EmbeddingDim },
                Training = baseRequest.Training with { Seed = seed },
                Pruning = sparsity is null ? null : (baseRequest.Pruning ?? new PruningConfig()) with { Sparsity = sparsity },
                WorkDir = Path.Combine(baseRequest.WorkDir, slug),
                ModelPath = Path.Combine(baseRequest.WorkDir, slug + ".cwm"),
            };
            string tag = seed == baseRequest.Model.Seed ? label : $"{label} seed {seed}";
            TrainReport report = study.Train(request, observers?.Invoke(tag), cancellationToken);
            ModelArtifact artifact = ModelArtifact.Load(request.ModelPath);
            CompiledModel compiled = artifact.Compile();
            SpeedReport speed = SpeedProbe.Measure(compiled, ids, rows, options.LatencyRequests, options.BatchSize);
            long dnnNonZero = artifact.Tensors.Where(kv => kv.Key.StartsWith("mlp.", StringComparison.Ordinal) && kv.Key.EndsWith(".weight", StringComparison.Ordinal))
                .Sum(kv => (long)kv.Value.Count(v => v != 0f));
            return new PruningStudyRow(label, sparsityText, hidden, seed, report.Training.KeptEpoch()?.ValidAuc ?? double.NaN,
                report.Test.Auc, report.Test.LogLoss, artifact.ParameterCount, artifact.NonZeroParameterCount, dnnNonZero, compiled.Bytes,
                artifact.Compile(objective: PlanObjective.Memory).Bytes, 1.0, speed.P50Micros, speed.P99Micros, speed.BatchSamplesPerSec, 1.0, request.ModelPath);
        }

        // Speed-up and bytes against the dense model of the request's seed, once it is there.
        PruningStudyRow Relative(PruningStudyRow row)
        {
            PruningStudyRow? dense = settings.FirstOrDefault(r => r.Sparsity == "None" && r.Seed == baseRequest.Model.Seed);
            return dense is null ? row : row with { SpeedUp = dense.P50Micros / row.P50Micros, BytesRatio = (double)row.SmallestBytes / dense.SmallestBytes };
        }

        PruningStudyReport SoFar(IReadOnlyList<EnsembleRow> ensembles) =>
            new(data.Test.RowCount, [.. settings.Select(Relative)], [.. sizeMatched.Select(Relative)], [.. members], ensembles)
            {
                EmbeddingMatched = [.. embeddingMatched.Select(Relative)],
            };

        int baseSeed = baseRequest.Model.Seed;
        int[] seeds = [.. Enumerable.Range(baseSeed, options.Seeds)];
        int[] baseHidden = baseRequest.Model.HiddenUnits;
        foreach (PruningSetting setting in options.Settings)
        {
            foreach (int seed in seeds)
            {
                settings.Add(Train(setting.Label, setting.Sparsity, baseHidden, seed));
                progress?.Invoke(SoFar([]));
            }
        }

        if (options.SizeMatched)
        {
            int inputs = data.Map.FieldCount * baseRequest.Model.EmbeddingDim;
            foreach (PruningStudyRow pruned in settings.Where(r => r.Sparsity != "None" && r.Seed == baseSeed).ToList())
            {
                SparsityTargets targets = SparsityTargets.Parse(pruned.Sparsity);
                if (!targets.Prunes(PruningComponent.Dnn))
                {
                    continue;
                }

                int width = MatchingWidth(pruned.DnnNonZero, inputs, baseHidden.Length);
                foreach (int seed in seeds)
                {
                    sizeMatched.Add(Train($"N-{width} ({pruned.Label})", Rest(targets, PruningComponent.Dnn),
                        [.. Enumerable.Repeat(width, baseHidden.Length)], seed) with { Matches = pruned.Label });
                    progress?.Invoke(SoFar([]));
                }
            }
        }

        if (options.EmbeddingMatched)
        {
            foreach (PruningStudyRow pruned in settings.Where(r => r.Sparsity != "None" && r.Seed == baseSeed).ToList())
            {
                SparsityTargets targets = SparsityTargets.Parse(pruned.Sparsity);
                if (!targets.Prunes(PruningComponent.Embedding))
                {
                    continue;
                }

                float[] table = ModelArtifact.Load(pruned.ModelPath).Tensors[EmbeddingTensor];
                int dim = MatchingEmbeddingDim(table.Count(v => v != 0f), table.Length / baseRequest.Model.EmbeddingDim);
                foreach (int seed in seeds)
                {
                    embeddingMatched.Add(Train($"E-{dim} ({pruned.Label})", Rest(targets, PruningComponent.Embedding), baseHidden, seed, dim)
                        with { Matches = pruned.Label });
                    progress?.Invoke(SoFar([]));
                }
            }
        }

        var ensembles = new List<EnsembleRow>();
        PruningSetting? ensembled = options.Settings.LastOrDefault(s => s.Sparsity is not null);
        if (options.EnsembleModels > 1 && ensembled is not null && data.Test.RowCount > 0)
        {
            // The setting's seeds already trained are members as they are; further seeds train under the member label.
            for (int k = 0; k < options.EnsembleModels; k++)
            {
                PruningStudyRow? trained = settings.FirstOrDefault(r => r.Label == ensembled.Label && r.Seed == baseSeed + k);
                members.Add(trained ?? Train($"{ensembled.Label} seed {baseSeed + k}", ensembled.Sparsity, baseHidden, baseSeed + k));
                progress?.Invoke(SoFar([]));
            }

            float[] labels = EnsembleScoring.Labels(data.Test);
            List<float[]> probabilities = [.. members.Select(m => EnsembleScoring.Probabilities(ModelArtifact.Load(m.ModelPath).Compile(), data.Test))];
            ensembles.AddRange(Ensembles(members, probabilities, labels, ids, rows, options));
        }

        return SoFar(ensembles);
    }

    private const string EmbeddingTensor = "embedding";

    // A size-matched model prunes the setting's other components alike; null when none is left.
    private static string? Rest(SparsityTargets targets, PruningComponent matched)
    {
        SparsityTargets rest = targets.Without(matched);
        return rest.Components.Any(rest.Prunes) ? rest.ToPaperNotation() : null;
    }

    /// <summary>
    /// The embedding dimension d whose dense table of <paramref name="rows"/> rows holds about as many values as a pruned
    /// table's non-zeros: d = round(nonZero / rows), at least 1.
    /// </summary>
    public static int MatchingEmbeddingDim(long nonZero, long rows) => Math.Max(1, (int)Math.Round((double)nonZero / rows));

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

            double p50 = EnsembleScoring.FitMeasured(chosen, compiled, budget, ids, rows, options.LatencyRequests);
            EvaluationResult result = EnsembleScoring.Evaluate(chosen, probabilities, labels);
            yield return new EnsembleRow(budget, chosen.Count, p50, result.Auc, result.LogLoss);
        }
    }
}
