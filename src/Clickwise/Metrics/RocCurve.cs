namespace Clickwise.Metrics;

/// <summary>
/// The ROC curve: true-positive rate against false-positive rate as the threshold falls from the highest prediction to
/// the lowest, from (0, 0) to (1, 1). Tied predictions move together (one diagonal step), so the area under these points
/// is the <see cref="Auc"/>. At most about <c>maxPoints</c> points: a new point once another 1/maxPoints of the rows
/// has passed the threshold, always at a tie group's end. Empty when either class is missing.
/// </summary>
public sealed record RocCurve(double[] FalsePositiveRate, double[] TruePositiveRate)
{
    public const int DefaultMaxPoints = 256;

    /// <summary>The curve over keys sorted ascending (see <see cref="ScoreKey"/>).</summary>
    internal static RocCurve FromSortedKeys(ReadOnlySpan<ulong> keys, int maxPoints = DefaultMaxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        long positives = 0;
        foreach (ulong key in keys)
        {
            positives += ScoreKey.IsPositive(key) ? 1 : 0;
        }

        long negatives = keys.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return new RocCurve([], []);
        }

        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        long truePositives = 0, falsePositives = 0;
        double step = (double)keys.Length / maxPoints, next = step;
        int i = keys.Length - 1;
        while (i >= 0)
        {
            uint score = ScoreKey.ScoreBits(keys[i]);
            do
            {
                if (ScoreKey.IsPositive(keys[i]))
                {
                    truePositives++;
                }
                else
                {
                    falsePositives++;
                }

                i--;
            }
            while (i >= 0 && ScoreKey.ScoreBits(keys[i]) == score);

            long passed = keys.Length - 1 - i;
            if (passed >= next || i < 0)
            {
                fpr.Add((double)falsePositives / negatives);
                tpr.Add((double)truePositives / positives);
                next = (Math.Floor(passed / step) + 1) * step;
            }
        }

        return new RocCurve([.. fpr], [.. tpr]);
    }

    /// <summary>The area under the points by the trapezoid rule: the AUC when no points were dropped.</summary>
    public double Area()
    {
        double area = 0;
        for (int k = 1; k < FalsePositiveRate.Length; k++)
        {
            area += (FalsePositiveRate[k] - FalsePositiveRate[k - 1]) * (TruePositiveRate[k] + TruePositiveRate[k - 1]) / 2;
        }

        return area;
    }
}
