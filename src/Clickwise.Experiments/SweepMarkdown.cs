using System.Globalization;
using System.Text;
using Clickwise.Experiments.Statistics;

namespace Clickwise.Experiments;

/// <summary>A <see cref="SweepReport"/> as a table of the varied value against test logloss and AUC, in Markdown.</summary>
public static class SweepMarkdown
{
    public static string Render(SweepReport report, string title)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"{report.Model}, {Axis(report.Setting)} varied, everything else the base model's. Train rows {report.TrainRows:N0}, test rows {report.TestRows:N0}; seeds {string.Join(", ", report.Seeds)} (mean ± sample std over seeds, one fixed split).");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| {Axis(report.Setting)} | hidden | seeds | test logloss | p logloss | test AUC | p AUC |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        IReadOnlyList<SweepRow> rows = report.Rows;
        SweepRow? baseline = rows.FirstOrDefault(r => r.Value == report.Baseline);
        foreach (SweepRow r in rows)
        {
            // An interrupted sweep may not have reached the base's value yet: nothing to test against.
            string Versus(Func<SweepRow, SeedSummary> metric) => baseline is null
                ? "—"
                : WelchTest.Cell(metric(r), ReferenceEquals(r, baseline) ? null : metric(baseline));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Value} | {string.Join('×', r.HiddenUnits)} | {r.Auc.Count} | {r.LogLoss} | {Versus(row => row.LogLoss)} | {r.Auc} | {Versus(row => row.Auc)} |");
        }

        md.AppendLine().AppendLine(WelchTest.Legend($"the base model's value ({report.Baseline})"));
        return md.ToString();
    }

    /// <summary>What the varied value is called in a table's header and a figure's axis.</summary>
    public static string Axis(string setting) => setting switch
    {
        "dropout" => "dropout keep probability",
        "width" => "neurons per layer",
        "depth" => "hidden layers",
        "shape" => "network shape",
        _ => setting,
    };
}
