using System.Globalization;
using System.Text;
using Clickwise.Experiments.Statistics;

namespace Clickwise.Experiments;

/// <summary>A <see cref="LowRankStudyReport"/> as the paper's tables, in Markdown (printed and committed alike).</summary>
public static class LowRankStudyMarkdown
{
    public static string Render(LowRankStudyReport report, string title) => Render(report, title, "#");

    /// <summary>One study under a heading of level <paramref name="h"/> ("#", "##"), its sections one level below.</summary>
    private static string Render(LowRankStudyReport report, string title, string h)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"{h} {title}").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"{report.Model}; {report.TrainRows:N0} training rows (the statistics' rows), {report.TestRows:N0} test rows.");
        md.AppendLine("PT: compressed, before fine-tuning; FT: after one fine-tune epoch. The control is the base trained one more epoch at the "
            + "fine-tune settings. Params: the trained form (non-zero ones for a pruned model); params served: the compiled plan (embedding projections folded into the "
            + "first DNN layer unless a pruned one ran faster unfolded; a sparse op counts its non-zeros). Throughput: batch 10,000 samples/s against the same seed's base; latency: batch 1, one thread, p50.").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{h}# Models (paper Tables 2, 4, 6, 8)").AppendLine();
        md.AppendLine("| model | stage | method | ranks | seed | test AUC | test logloss | params | params served | samples/s | throughput | p50 µs |");
        md.AppendLine("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (LowRankRow r in report.Rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Label} | {r.Stage} | {r.Method} | {r.Ranks} | {r.Seed} | {r.TestAuc:F5} | {r.TestLogLoss:F5} | {r.Parameters:N0} | {r.PlanParameters:N0} | {r.BatchSamplesPerSec:N0} | {r.ThroughputGain:+0%;-0%} | {r.P50Micros:F2} |");
        }

        int seeds = report.Rows.Select(r => r.Seed).Distinct().Count();
        if (seeds > 1)
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{h}# Over {seeds} seeds (paper Table 13): test AUC mean ± standard deviation").AppendLine();
            md.AppendLine("| model | stage | AUC | p AUC | logloss | p logloss |");
            md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: |");
            LowRankRow[] baseRows = [.. report.Rows.Where(r => r.Label == "base")];
            (SeedSummary baseAuc, SeedSummary baseLoss) = (SeedSummary.Of(baseRows.Select(r => r.TestAuc)), SeedSummary.Of(baseRows.Select(r => r.TestLogLoss)));
            foreach (var group in report.Rows.GroupBy(r => (r.Label, r.Stage)).Where(g => g.Count() == seeds))
            {
                (SeedSummary auc, SeedSummary loss) = (SeedSummary.Of(group.Select(r => r.TestAuc)), SeedSummary.Of(group.Select(r => r.TestLogLoss)));
                bool isBase = group.Key.Label == "base";
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {group.Key.Label} | {group.Key.Stage} | {auc} | {WelchTest.Cell(auc, isBase ? null : baseAuc)} | {loss} | {WelchTest.Cell(loss, isBase ? null : baseLoss)} |");
            }

            md.AppendLine().AppendLine(WelchTest.Legend("the base model"));
        }

        if (report.Energy.Count > 0)
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{h}# Singular values holding 90/95/99% of their sum (paper Table 11)").AppendLine();
            md.AppendLine("| layer | width | rank kept | energy kept | 90% | 95% | 99% |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (EnergyRow e in report.Energy)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {e.Layer} | {e.Width} | {e.Rank} | {e.EnergyKept:P1} | {e.For90} | {e.For95} | {e.For99} |");
            }
        }

        return md.ToString();
    }

    /// <summary>
    /// Several models' studies: the paper's Table 2 (each model's base, control, +AFM MLP and +AFM MLP + EMB after
    /// fine-tuning, means over seeds), then each model's own tables.
    /// </summary>
    public static string Render(IReadOnlyList<LowRankStudyReport> reports, string title)
    {
        if (reports.Count == 1)
        {
            return Render(reports[0], title);
        }

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"{reports.Count} models; {reports[0].TrainRows:N0} training rows, {reports[0].TestRows:N0} test rows. ")
            .AppendLine("Means over each model's seeds; throughput: batch 10,000 samples/s against the model's base; latency: batch 1, one thread, p50.")
            .AppendLine();
        md.AppendLine("## Models × base / +AFM MLP / +AFM EMB (paper Table 2)").AppendLine();
        md.AppendLine("| model | variant | test AUC | test logloss | params | params served | throughput | p50 µs |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (LowRankStudyReport report in reports)
        {
            foreach ((string variant, string label, string stage) in Table2Rows)
            {
                LowRankRow[] rows = [.. report.Rows.Where(r => r.Label == label && r.Stage == stage)];
                if (rows.Length == 0)
                {
                    continue;
                }

                md.Append(CultureInfo.InvariantCulture, $"| {report.Model} | {variant} | {rows.Average(r => r.TestAuc):F5} | {rows.Average(r => r.TestLogLoss):F5} | ")
                    .AppendLine(CultureInfo.InvariantCulture,
                        $"{rows[0].Parameters:N0} | {rows[0].PlanParameters:N0} | {rows.Average(r => r.ThroughputGain):+0%;-0%} | {rows.Average(r => r.P50Micros):F2} |");
            }
        }

        foreach (LowRankStudyReport report in reports)
        {
            md.AppendLine().Append(Render(report, report.Model, "##"));
        }

        return md.ToString();
    }

    private static readonly (string Variant, string Label, string Stage)[] Table2Rows =
    [
        ("base", "base", "—"),
        ("control (base + 1 FT epoch)", "control (base + 1 FT epoch)", "FT"),
        ("+AFM MLP (FT)", "AFM MLP", "FT"),
        ("+AFM MLP + EMB (FT)", "AFM MLP + EMB", "FT"),
    ];
}
