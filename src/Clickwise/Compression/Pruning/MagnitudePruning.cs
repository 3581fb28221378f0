namespace Clickwise.Compression.Pruning;

/// <summary>
/// Exact magnitude pruning: marks precisely the ⌊s·n⌋ smallest |w| of a tensor, not an approximate threshold
/// found by bisection as the reference code does. The selection is a radix select on the bit patterns of |w|
/// (for non-negative floats they order like unsigned integers): two 16-bit histogram passes find the threshold,
/// a third marks — O(n), no sort, no copy, so re-pruning a 13M-value embedding table stays cheap.
/// </summary>
/// <remarks>
/// Entries already pruned rank below every live weight, so masks only grow as the schedule's sparsity rises.
/// Ties at the threshold are broken by index (lower first), which keeps the count exact and the result
/// deterministic.
/// </remarks>
public static class MagnitudePruning
{
    /// <summary>How many of <paramref name="length"/> entries a sparsity of <paramref name="sparsity"/> removes.</summary>
    public static long PrunedCount(long length, double sparsity)
    {
        if (!(sparsity >= 0 && sparsity <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sparsity), "sparsity must be in [0, 1]");
        }

        // The epsilon keeps 0.9 × 1000 at 900 although 0.9 is not exact in binary.
        return Math.Min(length, (long)Math.Floor(sparsity * length + 1e-9));
    }

    /// <summary>
    /// Extends <paramref name="mask"/> over <paramref name="values"/> (entries [offset, offset + values.Length)
    /// of the masked tensor) so that exactly <paramref name="count"/> of them are pruned: those already pruned
    /// first, then the smallest magnitudes.
    /// </summary>
    public static void PruneSmallest(ReadOnlySpan<float> values, PruneMask mask, long offset, long count)
    {
        if (offset < 0 || offset + values.Length > mask.Length)
        {
            throw new ArgumentException($"values [{offset}, {offset + values.Length}) lie outside a mask of {mask.Length}");
        }

        if (count < 0 || count > values.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"cannot prune {count} of {values.Length} values");
        }

        if (count == 0)
        {
            return;
        }

        var histogram = new long[1 << 16];
        for (int i = 0; i < values.Length; i++)
        {
            histogram[Key(values[i], mask, offset + i) >> 16]++;
        }

        (uint high, long belowHigh) = FindBin(histogram, count);
        Array.Clear(histogram);
        for (int i = 0; i < values.Length; i++)
        {
            uint key = Key(values[i], mask, offset + i);
            if (key >> 16 == high)
            {
                histogram[key & 0xFFFF]++;
            }
        }

        (uint low, long belowLow) = FindBin(histogram, count - belowHigh);
        uint threshold = (high << 16) | low;
        long tiesToTake = count - belowHigh - belowLow;
        for (int i = 0; i < values.Length; i++)
        {
            uint key = Key(values[i], mask, offset + i);
            if (key < threshold || (key == threshold && tiesToTake-- > 0))
            {
                mask.Prune(offset + i);
            }
        }
    }

    /// <summary>Prunes a whole tensor to <paramref name="sparsity"/>.</summary>
    public static void Prune(ReadOnlySpan<float> values, PruneMask mask, double sparsity) =>
        PruneSmallest(values, mask, 0, PrunedCount(values.Length, sparsity));

    // Pruned entries get key 0, live ones 1 + the bits of |w| (monotone in |w|; NaN sorts above everything).
    private static uint Key(float value, PruneMask mask, long index) =>
        mask.IsPruned(index) ? 0u : (BitConverter.SingleToUInt32Bits(value) & 0x7FFF_FFFFu) + 1u;

    // The bin in which the running count passes `rank` (1-based), and how many entries lie in earlier bins.
    private static (uint Bin, long Below) FindBin(long[] histogram, long rank)
    {
        long below = 0;
        for (int bin = 0; bin < histogram.Length; bin++)
        {
            if (below + histogram[bin] >= rank)
            {
                return ((uint)bin, below);
            }

            below += histogram[bin];
        }

        throw new InvalidOperationException("rank beyond the histogram's total");
    }
}
