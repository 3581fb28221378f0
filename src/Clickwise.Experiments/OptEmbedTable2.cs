using Clickwise.Experiments.Statistics;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Experiments;

/// <summary>
/// One row of OptEmbed's Table 2 over seeds: a model's original, QR or OptEmbed row, mean ± std, with Welch's p against its
/// original's AUC (null for the original, and where a side has fewer than two seeds or no spread).
/// </summary>
public sealed record OptEmbedSummaryRow(
    string Model,
    string Label,
    SeedSummary Auc,
    SeedSummary LogLoss,
    SeedSummary Sparsity,
    double EmbeddingParameters,
    double? AucPValue);

/// <summary>OptEmbed's study for several models, several seeds each, on one preparation of the data, and its Table 2 over seeds.</summary>
public sealed record OptEmbedTable2Report(
    IReadOnlyList<string> Models,
    IReadOnlyList<int> Seeds,
    IReadOnlyList<OptEmbedStudyReport> Runs,
    IReadOnlyList<OptEmbedSummaryRow> Rows);

/// <summary>
/// Seed 004's Table 2 in shape: every model of <c>models</c> × seeds from the base seed on, each run the whole
/// <see cref="OptEmbedStudy"/> (its evolution seeded like its model), summarised per model and row over the seeds.
/// </summary>
public static class OptEmbedTable2
{
    public const string Baseline = "original";

    /// <param name="progress">Called with the table so far after every run, so an interrupted study keeps what it finished.</param>
    public static OptEmbedTable2Report Run(TrainRequest baseRequest, OptEmbedStudyOptions options, IReadOnlyList<string> models, int seeds,
                                           Func<string, ModelConfig> modelFor,
                                           Func<string, IEnumerable<ITrainingObserver>>? observers = null,
                                           Action<OptEmbedTable2Report>? progress = null,
                                           CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        using StudyData study = StudyData.Prepare(baseRequest);
        int[] seedList = [.. Enumerable.Range(baseRequest.Model.Seed, seeds)];
        var runs = new List<OptEmbedStudyReport>();
        foreach (string name in models)
        {
            foreach (int seed in seedList)
            {
                string tag = $"{name}-seed{seed}";
                TrainRequest request = baseRequest with
                {
                    Model = modelFor(name) with { Seed = seed },
                    Training = baseRequest.Training with { Seed = seed },
                    WorkDir = Path.Combine(baseRequest.WorkDir, tag),
                };
                runs.Add(OptEmbedStudy.Run(study, request, options with { Evolution = options.Evolution with { Seed = seed } },
                    observers is null ? null : label => observers($"{tag} {label}"), cancellationToken));
                progress?.Invoke(new OptEmbedTable2Report(models, seedList, [.. runs], Summarise(runs)));
            }
        }

        return new OptEmbedTable2Report(models, seedList, runs, Summarise(runs));
    }

    /// <summary>Per model and row label (in the first run's order): the seeds' mean ± std and Welch's p of the AUC against the model's original.</summary>
    public static IReadOnlyList<OptEmbedSummaryRow> Summarise(IReadOnlyList<OptEmbedStudyReport> runs) =>
        [.. runs.GroupBy(r => r.Model).SelectMany(model =>
        {
            OptEmbedRow[] rows = [.. model.SelectMany(r => r.Rows)];
            SeedSummary Of(string label, Func<OptEmbedRow, double> metric) => SeedSummary.Of(rows.Where(r => r.Label == label).Select(metric));
            SeedSummary original = Of(Baseline, r => r.TestAuc);
            return rows.Select(r => r.Label).Distinct().Select(label => new OptEmbedSummaryRow(model.Key, label, Of(label, r => r.TestAuc),
                Of(label, r => r.TestLogLoss), Of(label, r => r.Sparsity), rows.Where(r => r.Label == label).Average(r => (double)r.EmbeddingParameters),
                label == Baseline ? null : WelchTest.PValue(Of(label, r => r.TestAuc), original) is var p && double.IsFinite(p) ? p : null));
        })];
}
