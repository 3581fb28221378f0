using System.Globalization;
using System.Text;
using Clickwise.Experiments.Statistics;

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
        md.AppendLine("| model | test logloss | p logloss | test AUC | p AUC | parameters | batch-1 p50 µs | train samples/s |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        ComparisonRow baseline = report.Rows[0];
        foreach (ComparisonRow r in report.Rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Model} | {r.LogLoss} | {Versus(r, baseline, row => row.LogLoss)} | {r.Auc} | {Versus(r, baseline, row => row.Auc)} | {r.Parameters:N0} | {r.P50Micros:F2} | {r.TrainSamplesPerSec:N0} |");
        }

        md.AppendLine().AppendLine(WelchTest.Legend($"the first model ({baseline.Model})"));
        foreach (string? section in new[] { ComponentGains.Render(report), NormalisedTrainingTime.Render(report), ReadingSpeedup.Render(report) })
        {
            if (section is not null)
            {
                md.AppendLine().Append(section);
            }
        }

        return md.ToString();
    }

    private static string Versus(ComparisonRow row, ComparisonRow baseline, Func<ComparisonRow, SeedSummary> metric) =>
        WelchTest.Cell(metric(row), ReferenceEquals(row, baseline) ? null : metric(baseline));
}
