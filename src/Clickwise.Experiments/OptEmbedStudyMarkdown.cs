using System.Globalization;
using System.Text;

namespace Clickwise.Experiments;

/// <summary>An <see cref="OptEmbedStudyReport"/> as the paper's tables, in Markdown (printed and committed alike).</summary>
public static class OptEmbedStudyMarkdown
{
    public static string Render(OptEmbedStudyReport report, string title)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"{report.Model}; {report.TrainRows:N0} training, {report.ValidRows:N0} validation (the search's fitness), {report.TestRows:N0} test rows.");
        md.AppendLine("Sparsity: 1 − Σ_f kept_f·D_f / (V·D), the paper's. Table params: Σ_f kept_f·D_f. Plan bytes: the compiled plan in memory "
            + "(OptEmbed's rows: only the kept rows at their widths, with the row bitmap). Speed: batch 10,000 samples/s; batch 1, one thread, p50.")
            .AppendLine();
        md.AppendLine("## Models (paper Tables 2, 3 and 4 in shape)").AppendLine();
        md.AppendLine("| model | test AUC | test logloss | sparsity | table params | widths | plan bytes | samples/s | p50 µs |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |");
        foreach (OptEmbedRow r in report.Rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Label} | {r.TestAuc:F5} | {r.TestLogLoss:F5} | {r.Sparsity:F4} | {r.EmbeddingParameters:N0} | {r.Widths} | {r.PlanBytes:N0} | {r.BatchSamplesPerSec:N0} | {r.P50Micros:F2} |");
        }

        md.AppendLine().AppendLine("## Phases").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Supernet {report.SupernetSeconds:F1} s, search {report.SearchSeconds:F1} s ({report.SearchEvaluations} distinct candidates), retrain {report.RetrainSeconds:F1} s.");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Best validation AUC by generation: {string.Join(", ", report.SearchBestByGeneration.Select(a => a.ToString("F5", CultureInfo.InvariantCulture)))}.");
        return md.ToString();
    }
}
