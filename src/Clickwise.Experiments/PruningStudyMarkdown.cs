using System.Globalization;
using System.Text;
using Clickwise.Experiments.Statistics;

namespace Clickwise.Experiments;

/// <summary>A <see cref="PruningStudyReport"/> as the paper's tables, in Markdown (printed and committed alike).</summary>
public static class PruningStudyMarkdown
{
    public static string Render(PruningStudyReport report, string title)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Test rows: {report.TestRows:N0}. Latency: batch 1, one thread, p50/p99 over test rows after warm-up; speed-up against the dense model's p50. Bytes are the compiled plan's weights in memory: the fastest plan (which keeps extra copies where they buy speed, and whose latency is shown) and the smallest plan (`--plan memory`), with its ratio to the dense model's smallest plan.")
            .AppendLine();
        md.AppendLine("Over several seeds, test metrics are mean ± std and the other columns are the first seed's model's.").AppendLine();
        md.AppendLine("## Pruning settings (paper Table 5; Tables 7-8 for sDeepFM, sNFM and sXDeepFM)").AppendLine();
        string? dense = report.Settings.FirstOrDefault(r => r.Sparsity == "None")?.Label;
        Table(md, report.Settings, row => row.Label == dense ? null : dense);
        md.AppendLine().AppendLine(WelchTest.Legend("the dense model"));
        if (report.SizeMatched.Count > 0)
        {
            md.AppendLine().AppendLine("## Pruned vs a dense network with as many DNN weights (paper Table 3, N-X)").AppendLine();
            Table(md, [.. report.Settings.Where(r => r.Sparsity != "None" && r.Sparsity.Contains('D')), .. report.SizeMatched], row => row.Matches);
            md.AppendLine().AppendLine(WelchTest.Legend("the pruned setting it is matched to"));
        }

        if (report.EmbeddingMatched.Count > 0)
        {
            md.AppendLine().AppendLine("## Pruned embeddings vs a smaller dense embedding with as many values (paper Table 4, E-X)").AppendLine();
            md.AppendLine("E-d: embedding dimension d = the pruned table's non-zero values over its rows, the setting's other components pruned alike.")
                .AppendLine();
            Table(md, [.. report.Settings.Where(r => r.Sparsity.Contains('F')), .. report.EmbeddingMatched], row => row.Matches);
            md.AppendLine().AppendLine(WelchTest.Legend("the pruned setting it is matched to"));
        }

        if (report.Ensembles.Count > 0)
        {
            PruningStudyRow best = report.EnsembleMembers.OrderByDescending(m => m.ValidAuc).First();
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture,
                $"## Ensembles of {report.EnsembleMembers.Count} {best.Sparsity} models under a latency budget (paper §5.4)").AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Members by validation AUC; single best member: test AUC {best.TestAuc:F5}, logloss {best.TestLogLoss:F5}, p50 {best.P50Micros:F2} µs.").AppendLine();
            md.AppendLine("| budget µs | models | measured p50 µs | test AUC | test logloss | AUC gain |");
            md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (EnsembleRow e in report.Ensembles)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {e.BudgetMicros:F2} | {e.Models} | {e.P50Micros:F2} | {e.TestAuc:F5} | {e.TestLogLoss:F5} | {e.TestAuc - best.TestAuc:+0.00000;-0.00000} |");
            }
        }

        return md.ToString();
    }

    /// <summary>One line per label (its seeds grouped), each tested against the label <paramref name="baselineOf"/> gives (null: none).</summary>
    private static void Table(StringBuilder md, IReadOnlyList<PruningStudyRow> rows, Func<PruningStudyRow, string?> baselineOf)
    {
        md.AppendLine("| model | sparsity | hidden | seeds | test logloss | p logloss | test AUC | p AUC | non-zero params | bytes, fastest plan | bytes, smallest plan | × dense | p50 µs | p99 µs | speed-up |");
        md.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        ILookup<string, PruningStudyRow> byLabel = rows.ToLookup(r => r.Label);
        foreach (IGrouping<string, PruningStudyRow> group in byLabel)
        {
            PruningStudyRow r = group.First();
            (SeedSummary auc, SeedSummary loss) = (SeedSummary.Of(group.Select(g => g.TestAuc)), SeedSummary.Of(group.Select(g => g.TestLogLoss)));
            string? baseline = baselineOf(r);
            PruningStudyRow[] against = baseline is null ? [] : [.. byLabel[baseline]];
            string Versus(Func<PruningStudyRow, double> metric, SeedSummary summary) => baseline is null
                ? "—"
                : WelchTest.Format(WelchTest.PValue(summary, SeedSummary.Of(against.Select(metric))));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Label} | {r.Sparsity} | {string.Join("×", r.HiddenUnits)} | {auc.Count} | {loss} | {Versus(g => g.TestLogLoss, loss)} | {auc} | {Versus(g => g.TestAuc, auc)} | {r.NonZeroParameters:N0} | {r.CompiledBytes:N0} | {r.SmallestBytes:N0} | {r.BytesRatio:F2} | {r.P50Micros:F2} | {r.P99Micros:F2} | {r.SpeedUp:F1}× |");
        }
    }
}
