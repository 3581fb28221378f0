using System.Globalization;
using System.Text;

namespace Clickwise.Experiments;

/// <summary>A <see cref="ComparisonReport"/> as the seed paper's Table 2, in Markdown (printed and committed alike).</summary>
public static class ComparisonMarkdown
{
    public static string Render(ComparisonReport report, string title)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Train rows {report.TrainRows:N0}, test rows {report.TestRows:N0}; seeds {string.Join(", ", report.Seeds)} (mean ± sample std over seeds, one fixed split). Latency: batch 1, one thread, p50 of the compiled plan.");
        md.AppendLine();
        md.AppendLine("| model | test logloss | test AUC | parameters | batch-1 p50 µs | train samples/s |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (ComparisonRow r in report.Rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Model} | {r.LogLossMean:F5} ± {r.LogLossStd:F5} | {r.AucMean:F5} ± {r.AucStd:F5} | {r.Parameters:N0} | {r.P50Micros:F2} | {r.TrainSamplesPerSec:N0} |");
        }

        return md.ToString();
    }
}
