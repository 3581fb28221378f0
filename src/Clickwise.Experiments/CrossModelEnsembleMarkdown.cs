using System.Globalization;
using System.Text;

namespace Clickwise.Experiments;

/// <summary>A <see cref="CrossModelEnsembleReport"/> as Markdown: the candidates, then one ensemble per budget.</summary>
public static class CrossModelEnsembleMarkdown
{
    public static string Render(CrossModelEnsembleReport report, string title)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Validation rows: {report.ValidRows:N0}; test rows: {report.TestRows:N0}. Latency: batch 1, one thread, p50 after warm-up, every model and ensemble measured in this run; an ensemble runs its members one after another and averages their probabilities.")
            .AppendLine();
        md.AppendLine("## Candidates (pruned models of each study)").AppendLine();
        md.AppendLine("| candidate | model | sparsity | valid AUC | test AUC | p50 µs |");
        md.AppendLine("| --- | --- | --- | ---: | ---: | ---: |");
        foreach (EnsembleCandidate c in report.Candidates.OrderByDescending(c => c.ValidAuc))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {c.Name} | {c.Model} | {c.Sparsity} | {c.ValidAuc:F5} | {c.TestAuc:F5} | {c.P50Micros:F2} |");
        }

        EnsembleCandidate best = report.Candidates.MaxBy(c => c.ValidAuc)!;
        md.AppendLine().AppendLine("## Ensembles under a latency budget (paper §5.4, across models)").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Members added greedily by the ensemble's validation AUC while their summed p50s fit, then dropped from the last while the measured p50 does not; the gain is over the best candidate by validation AUC ({best.Name}, test AUC {best.TestAuc:F5}). Budgets no single candidate fits are left out.")
            .AppendLine();
        md.AppendLine("| budget µs | members | summed p50 µs | measured p50 µs | valid AUC | test AUC | test logloss | AUC gain |");
        md.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (CrossModelEnsembleRow e in report.Ensembles)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {e.BudgetMicros:F1} | {string.Join(", ", e.Members)} | {e.SummedMicros:F2} | {e.P50Micros:F2} | {e.ValidAuc:F5} | {e.TestAuc:F5} | {e.TestLogLoss:F5} | {e.TestAuc - best.TestAuc:+0.00000;-0.00000} |");
        }

        return md.ToString();
    }
}
