using System.Globalization;
using System.Text;

namespace Clickwise.Experiments;

/// <summary>
/// The DeepFM journal paper's Fig. 9: each model's training time normalised by LR's, |training time of the model| /
/// |training time of LR|, here per sample (LR's median training samples/s over the model's) on the same data and machine.
/// </summary>
public static class NormalisedTrainingTime
{
    public const string Reference = "lr";

    /// <summary>
    /// Each row's training time over LR's, in row order, leaving out the rows trained with synchronous reading (the paper's
    /// figure reads asynchronously); empty when the comparison has no LR row.
    /// </summary>
    public static IReadOnlyList<(string Model, double Ratio)> Of(ComparisonReport report)
    {
        ComparisonRow? lr = report.Rows.FirstOrDefault(r => r.Model == Reference);
        return lr is null ? [] :
        [
            .. Timed(report).Select(r => (r.Model, lr.TrainSamplesPerSec / r.TrainSamplesPerSec)),
        ];
    }

    private static IEnumerable<ComparisonRow> Timed(ComparisonReport report) =>
        report.Rows.Where(r => !report.Rows.Any(other => other != r && ModelComparison.SynchronousRow(other.Model) == r.Model));

    /// <summary>The section, or null without an LR row.</summary>
    public static string? Render(ComparisonReport report)
    {
        IReadOnlyList<(string Model, double Ratio)> ratios = Of(report);
        if (ratios.Count == 0)
        {
            return null;
        }

        var md = new StringBuilder();
        md.AppendLine("## Training time normalised by LR (DeepFM paper, Fig. 9)").AppendLine();
        md.AppendLine("Time to train on a sample, over LR's (LR's training samples/s over the model's, medians over seeds; one machine, one run).").AppendLine();
        md.AppendLine("| model | train samples/s | time ÷ LR |");
        md.AppendLine("| --- | ---: | ---: |");
        foreach ((ComparisonRow row, (_, double ratio)) in Timed(report).Zip(ratios))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Model} | {row.TrainSamplesPerSec:N0} | {ratio:F2} |");
        }

        return md.ToString();
    }
}
