using System.Globalization;
using System.Text;
using Clickwise.Experiments.Statistics;

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
        AppendMaskChecks(md, [.. report.Rows.Select(r => (report.Model, (int?)null, r))]);
        return md.ToString();
    }

    /// <summary>Table 2 over models and seeds (mean ± std, Welch's p against each model's original), then each run's phase times.</summary>
    public static string Render(OptEmbedTable2Report report, string title)
    {
        var md = new StringBuilder();
        OptEmbedStudyReport first = report.Runs[0];
        md.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"{string.Join(", ", report.Models)} × seeds {string.Join(", ", report.Seeds)}; {first.TrainRows:N0} training, {first.ValidRows:N0} validation (the search's fitness), {first.TestRows:N0} test rows, prepared once.");
        md.AppendLine("Sparsity: 1 − table parameters kept / (V·D), the paper's; QR: quotient-remainder fields (Shi et al., KDD'20) sized to OptEmbed's kept "
            + "parameters unless --qr-collisions is given.").AppendLine();
        md.AppendLine("## Table 2 in shape (mean ± std over seeds)").AppendLine();
        md.AppendLine("| model | row | test AUC | p (AUC vs original) | test logloss | sparsity | table params |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (OptEmbedSummaryRow r in report.Rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Model} | {r.Label} | {r.Auc} | {(r.Label == OptEmbedTable2.Baseline ? "baseline" : WelchTest.Format(r.AucPValue ?? double.NaN))} | {r.LogLoss} | {r.Sparsity.Mean:F4} | {r.EmbeddingParameters:N0} |");
        }

        md.AppendLine().AppendLine(WelchTest.Legend("the model's original")).AppendLine();
        md.AppendLine("## Runs").AppendLine();
        md.AppendLine("| model | seed | supernet s | search s | retrain s | best validation AUC (last generation) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (int i = 0; i < report.Runs.Count; i++)
        {
            OptEmbedStudyReport run = report.Runs[i];
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Model} | {report.Seeds[i % report.Seeds.Count]} | {run.SupernetSeconds:F1} | {run.SearchSeconds:F1} | {run.RetrainSeconds:F1} | {(run.SearchBestByGeneration.Count > 0 ? run.SearchBestByGeneration[^1].ToString("F5", CultureInfo.InvariantCulture) : "—")} |");
        }

        AppendMaskChecks(md, [.. report.Runs.SelectMany((run, i) => run.Rows.Select(r => (run.Model, (int?)report.Seeds[i % report.Seeds.Count], r)))]);
        return md.ToString();
    }

    private static string Share(double? share) => share is { } s ? s.ToString("F3", CultureInfo.InvariantCulture) : "—";

    private static void AppendMaskChecks(StringBuilder md, (string Model, int? Seed, OptEmbedRow Row)[] rows)
    {
        AppendLookups(md, rows);
        AppendTeacherRare(md, rows);
    }

    private static string SeedCell(int? seed) => seed is { } s ? s.ToString(CultureInfo.InvariantCulture) : "—";

    /// <summary>Whether the row mask follows training frequency: the median lookups of the pruned and the kept rows.</summary>
    private static void AppendLookups(StringBuilder md, (string Model, int? Seed, OptEmbedRow Row)[] rows)
    {
        (string Model, int? Seed, OptEmbedRow Row)[] masked = [.. rows.Where(r => r.Row.Lookups is not null)];
        if (masked.Length == 0)
        {
            return;
        }

        md.AppendLine().AppendLine("## Training lookups of pruned and kept rows").AppendLine();
        md.AppendLine("Median number of times a row is looked up in the training rows (every row of the table, OOV and missing rows included).").AppendLine();
        md.AppendLine("| model | seed | row | pruned rows' median | kept rows' median | pruned / kept |");
        md.AppendLine("| --- | ---: | --- | ---: | ---: | ---: |");
        foreach ((string model, int? seed, OptEmbedRow row) in masked)
        {
            PrunedRowCounts c = row.Lookups!;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {model} | {SeedCell(seed)} | {row.Label} | {c.PrunedMedian?.ToString("N1", CultureInfo.InvariantCulture) ?? "—"} | {c.KeptMedian?.ToString("N1", CultureInfo.InvariantCulture) ?? "—"} | {Share(c.Ratio)} |");
        }
    }

    /// <summary>Issue 13's known answer, for the rows that carry it: how many pruned rows (and parameters) the teacher calls rare.</summary>
    private static void AppendTeacherRare(StringBuilder md, IEnumerable<(string Model, int? Seed, OptEmbedRow Row)> rows)
    {
        (string Model, int? Seed, OptEmbedRow Row)[] checkedRows = [.. rows.Where(r => r.Row.TeacherRare is not null)];
        if (checkedRows.Length == 0)
        {
            return;
        }

        md.AppendLine().AppendLine("## Teacher-rare check (synthetic data)").AppendLine();
        md.AppendLine("Pruned rows by the teacher's view of their category: rare (rank ≥ its effect cap: no own effect, no interaction), own effect in a "
            + "field the teacher pairs / does not pair, the missing value, the field's OOV row. Rare share: rare / pruned rows that are one category "
            + "(OOV rows left out); base rate: the same share over the whole vocabulary, what pruning at random scores; least frequent: the share "
            + "had each field pruned as many of its categories, its least frequent ones, what pruning by training count scores; any field: the same number "
            + "of category rows, the least frequent of all fields (ties toward rare), the most pruning by count can score. Parameters: a pruned row's D "
            + "plus the D − D_f a kept row loses to its field's width.").AppendLine();
        md.AppendLine("| model | seed | row | pruned rows | rare | own, paired | own, unpaired | missing | OOV | rare share | base rate | least frequent | any field | rare share of pruned params |");
        md.AppendLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach ((string model, int? seed, OptEmbedRow row) in checkedRows)
        {
            TeacherRareCheck c = row.TeacherRare!;
            TeacherRowCounts p = c.PrunedRows;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {model} | {SeedCell(seed)} | {row.Label} | {p.Total:N0} | {p.Rare:N0} | {p.OwnEffectPaired:N0} | {p.OwnEffectUnpaired:N0} | {p.Missing:N0} | {p.Oov:N0} | {Share(p.RareShare)} | {Share(c.Vocabulary.RareShare)} | {Share(c.LeastFrequent.RareShare)} | {Share(c.LeastFrequentAnyField?.RareShare)} | {Share(c.PrunedParameters.RareShare)} |");
        }
    }
}
