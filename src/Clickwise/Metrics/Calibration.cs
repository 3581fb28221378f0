using System.Buffers;

namespace Clickwise.Metrics;

/// <summary>
/// Calibration of predicted probabilities: mean prediction vs observed CTR and a reliability table of
/// equal-count (quantile) bins.
/// </summary>
/// <remarks>
/// Bins split the rows sorted by prediction into <c>binCount</c> runs of ⌊N/bins⌋ or ⌈N/bins⌉ rows, so a
/// large group of equal predictions may straddle two bins (their bounds then touch). With fewer rows than
/// bins, only non-empty bins are returned. Predictions must not be NaN; labels must be 0 or 1.
/// </remarks>
public static class Calibration
{
    public const int DefaultBinCount = 10;

    /// <summary>Computes the report, renting the sort buffer (8 bytes per row) from the shared pool.</summary>
    public static CalibrationReport Compute(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> labels, int binCount = DefaultBinCount)
    {
        Label.CheckLengths(predictions.Length, labels.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        ulong[] rented = ArrayPool<ulong>.Shared.Rent(Math.Max(predictions.Length, 1));
        try
        {
            Span<ulong> keys = rented.AsSpan(0, predictions.Length);
            if (!ScoreKey.TryEncode(predictions, labels, keys))
            {
                throw new ArgumentException("a prediction is NaN; calibration is undefined", nameof(predictions));
            }

            keys.Sort();
            return FromSortedKeys(keys, binCount);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    /// <summary>The report over keys sorted ascending (see <see cref="ScoreKey"/>).</summary>
    internal static CalibrationReport FromSortedKeys(ReadOnlySpan<ulong> keys, int binCount)
    {
        long rows = keys.Length;
        var bins = new List<CalibrationBin>(binCount);
        double predictedSum = 0;
        long positives = 0;
        for (int b = 0; b < binCount; b++)
        {
            int start = (int)(rows * b / binCount);
            int end = (int)(rows * (b + 1) / binCount);
            if (end == start)
            {
                continue;
            }

            double binSum = 0;
            long binPositives = 0;
            for (int i = start; i < end; i++)
            {
                binSum += ScoreKey.Score(keys[i]);
                binPositives += ScoreKey.IsPositive(keys[i]) ? 1 : 0;
            }

            int count = end - start;
            bins.Add(new CalibrationBin(
                ScoreKey.Score(keys[start]), ScoreKey.Score(keys[end - 1]),
                binSum / count, (double)binPositives / count, count, binPositives));
            predictedSum += binSum;
            positives += binPositives;
        }

        double predicted = rows == 0 ? double.NaN : predictedSum / rows;
        double observed = rows == 0 ? double.NaN : (double)positives / rows;
        double ratio = positives == 0 ? double.NaN : predicted / observed;
        return new CalibrationReport(rows, predicted, observed, ratio, bins);
    }
}
