using System.Buffers;

namespace Clickwise.Metrics;

/// <summary>
/// Exact ROC AUC as the Mann-Whitney U statistic: the probability that a random positive scores above a
/// random negative, a tie counting one half (equivalently, ranks averaged over tied groups). O(N log N):
/// one sort of packed (score, label) keys, then one pass over tie groups.
/// </summary>
/// <remarks>
/// Undefined cases return <see cref="double.NaN"/>: no rows, all rows of one class, or a NaN score.
/// Labels must be exactly 0 or 1. Equal scores (including -0 and +0) form one tie group.
/// </remarks>
public static class Auc
{
    /// <summary>Computes AUC, renting the sort buffer (8 bytes per row) from <see cref="ArrayPool{T}.Shared"/>.</summary>
    public static double Compute(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        Label.CheckLengths(scores.Length, labels.Length);
        ulong[] rented = ArrayPool<ulong>.Shared.Rent(Math.Max(scores.Length, 1));
        try
        {
            return Compute(scores, labels, rented);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    /// <summary>Computes AUC using <paramref name="scratch"/> (at least one element per row) as the sort buffer.</summary>
    public static double Compute(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, Span<ulong> scratch)
    {
        Label.CheckLengths(scores.Length, labels.Length);
        if (scratch.Length < scores.Length)
        {
            throw new ArgumentException($"scratch holds {scratch.Length} keys, {scores.Length} needed", nameof(scratch));
        }

        Span<ulong> keys = scratch[..scores.Length];
        if (!ScoreKey.TryEncode(scores, labels, keys))
        {
            return double.NaN;
        }

        keys.Sort();
        return FromSortedKeys(keys);
    }

    /// <summary>AUC over keys sorted ascending (see <see cref="ScoreKey"/>).</summary>
    internal static double FromSortedKeys(ReadOnlySpan<ulong> keys)
    {
        // Per tie group with p positives and n negatives: each positive beats every negative below the group
        // and ties the group's n negatives. Twice the U statistic stays an exact integer.
        long negativesBelow = 0;
        long positives = 0;
        long twiceU = 0;
        int i = 0;
        while (i < keys.Length)
        {
            uint score = ScoreKey.ScoreBits(keys[i]);
            long groupPositives = 0;
            long groupNegatives = 0;
            do
            {
                if (ScoreKey.IsPositive(keys[i]))
                {
                    groupPositives++;
                }
                else
                {
                    groupNegatives++;
                }

                i++;
            }
            while (i < keys.Length && ScoreKey.ScoreBits(keys[i]) == score);

            twiceU += groupPositives * (2 * negativesBelow + groupNegatives);
            negativesBelow += groupNegatives;
            positives += groupPositives;
        }

        long negatives = negativesBelow;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return twiceU / 2.0 / positives / negatives;
    }
}
