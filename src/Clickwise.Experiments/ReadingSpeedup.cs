using System.Globalization;
using System.Text;

namespace Clickwise.Experiments;

/// <summary>
/// The DeepFM journal paper's Table I row "Asyn over Syn": training samples/s with batches prefetched on a background
/// thread over the same model trained with batches read on the training thread (<c>compare --reading both</c>).
/// </summary>
public static class ReadingSpeedup
{
    /// <summary>Each model with both rows: its prefetched and its synchronous training samples/s.</summary>
    public static IReadOnlyList<(string Model, double Prefetched, double Synchronous)> Of(ComparisonReport report) =>
    [
        .. report.Rows
            .Select(row => (Row: row, Sync: report.Rows.FirstOrDefault(r => r.Model == ModelComparison.SynchronousRow(row.Model))))
            .Where(pair => pair.Sync is not null)
            .Select(pair => (pair.Row.Model, pair.Row.TrainSamplesPerSec, pair.Sync!.TrainSamplesPerSec)),
    ];

    /// <summary>The section, or null when no model was trained both ways.</summary>
    public static string? Render(ComparisonReport report)
    {
        IReadOnlyList<(string Model, double Prefetched, double Synchronous)> pairs = Of(report);
        if (pairs.Count == 0)
        {
            return null;
        }

        var md = new StringBuilder();
        md.AppendLine("## Asynchronous over synchronous reading (DeepFM paper, Table I)").AppendLine();
        md.AppendLine("Training samples/s (median over seeds) with the next batches prefetched on a background thread, and with each batch read "
            + "on the training thread when it is needed; both train the same bits.").AppendLine();
        md.AppendLine("| model | prefetched samples/s | synchronous samples/s | async ÷ sync |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        foreach ((string model, double prefetched, double synchronous) in pairs)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {model} | {prefetched:N0} | {synchronous:N0} | {prefetched / synchronous:F2}× |");
        }

        return md.ToString();
    }
}
