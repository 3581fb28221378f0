using System.Globalization;
using System.Text;

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
        md.AppendLine("## Pruning settings (paper Table 5)").AppendLine();
        Table(md, report.Settings);
        if (report.SizeMatched.Count > 0)
        {
            md.AppendLine().AppendLine("## Pruned vs a dense network with as many DNN weights (paper Table 3, N-X)").AppendLine();
            Table(md, [.. report.Settings.Where(r => r.Sparsity != "None" && r.Sparsity.Contains('D')), .. report.SizeMatched]);
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

    private static void Table(StringBuilder md, IEnumerable<PruningStudyRow> rows)
    {
        md.AppendLine("| model | sparsity | hidden | test logloss | test AUC | non-zero params | bytes, fastest plan | bytes, smallest plan | × dense | p50 µs | p99 µs | speed-up |");
        md.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (PruningStudyRow r in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Label} | {r.Sparsity} | {string.Join("×", r.HiddenUnits)} | {r.TestLogLoss:F5} | {r.TestAuc:F5} | {r.NonZeroParameters:N0} | {r.CompiledBytes:N0} | {r.SmallestBytes:N0} | {r.BytesRatio:F2} | {r.P50Micros:F2} | {r.P99Micros:F2} | {r.SpeedUp:F1}× |");
        }
    }
}
