using System.Text.Json;

namespace Clickwise.Experiments.Figures;

/// <summary>One epoch's line of a run's metrics.jsonl (NaN where the run had no value, e.g. no validation set).</summary>
public sealed record EpochPoint(int Epoch, double TrainLoss, double ValidAuc, double ValidLogLoss);

/// <summary>A run's learning curve: read from its metrics.jsonl and drawn as losses and validation AUC per epoch.</summary>
public static class LearningCurve
{
    /// <summary>The epochs of <paramref name="metricsPath"/>; none when there is no such file.</summary>
    public static IReadOnlyList<EpochPoint> Read(string metricsPath)
    {
        if (!File.Exists(metricsPath))
        {
            return [];
        }

        var epochs = new List<EpochPoint>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(metricsPath))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using JsonDocument json = JsonDocument.Parse(line);
                JsonElement e = json.RootElement;
                epochs.Add(new EpochPoint(e.GetProperty("epoch").GetInt32(), Number(e, "train_loss"), Number(e, "valid_auc"), Number(e, "valid_logloss")));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{metricsPath}:{lineNumber}: not a metrics.jsonl line ({ex.Message})", ex);
            }
        }

        return epochs;
    }

    /// <summary>Train loss and validation logloss on the left axis, validation AUC on the right.</summary>
    public static ScottPlot.Plot Chart(IReadOnlyList<EpochPoint> epochs, string title)
    {
        double[] x = [.. epochs.Select(e => (double)e.Epoch)];
        return Charts.Lines(title, "epoch", "logloss",
        [
            new Series("train loss", x, [.. epochs.Select(e => e.TrainLoss)]),
            new Series("valid logloss", x, [.. epochs.Select(e => e.ValidLogLoss)]),
            ValidAuc(epochs, "valid AUC") with { RightAxis = true },
        ], rightLabel: "valid AUC", wholeX: true);
    }

    public static Series ValidAuc(IReadOnlyList<EpochPoint> epochs, string name) =>
        new(name, [.. epochs.Select(e => (double)e.Epoch)], [.. epochs.Select(e => e.ValidAuc)]);

    private static double Number(JsonElement line, string name) =>
        line.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.NaN;
}
