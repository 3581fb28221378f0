using System.Runtime.CompilerServices;

namespace Clickwise.Metrics;

/// <summary>
/// Packs a (score, 0/1 label) pair into one <see cref="ulong"/> whose unsigned order is the score order:
/// the high 32 bits are the float's bits made monotone (sign flipped for positives, all bits flipped for
/// negatives), the low bit is the label. Sorting these keys is one primitive sort, with no key/item pair
/// swapping, and equal scores end up adjacent (negatives first), which is what tie-aware AUC and quantile
/// bins need.
/// </summary>
internal static class ScoreKey
{
    private const uint SignBit = 0x8000_0000u;

    /// <summary>The caller has checked that <paramref name="score"/> is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Encode(float score, bool positive)
    {
        // -0 and +0 are the same score and must form one tie group.
        if (score == 0f)
        {
            score = 0f;
        }

        uint bits = BitConverter.SingleToUInt32Bits(score);
        uint ordered = (bits & SignBit) != 0 ? ~bits : bits | SignBit;
        return ((ulong)ordered << 32) | (positive ? 1UL : 0UL);
    }

    /// <summary>The score part of a key; two keys are tied when these are equal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ScoreBits(ulong key) => (uint)(key >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsPositive(ulong key) => (key & 1UL) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Score(ulong key)
    {
        uint ordered = ScoreBits(key);
        uint bits = (ordered & SignBit) != 0 ? ordered & ~SignBit : ~ordered;
        return BitConverter.UInt32BitsToSingle(bits);
    }

    /// <summary>
    /// Fills <paramref name="keys"/> from scores and labels. Returns false if a score is NaN (the metric is
    /// then undefined); throws if a label is neither 0 nor 1.
    /// </summary>
    public static bool TryEncode(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, Span<ulong> keys)
    {
        for (int i = 0; i < scores.Length; i++)
        {
            float score = scores[i];
            if (float.IsNaN(score))
            {
                return false;
            }

            keys[i] = Encode(score, Label.IsPositive(labels[i]));
        }

        return true;
    }
}
