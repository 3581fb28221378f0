using Clickwise.Data;
using Clickwise.Models;

namespace Clickwise.Experiments;

/// <summary>
/// Issue 13's frequency check (compression notes b.5): the median training lookups of the rows OptEmbed pruned against the
/// median of the rows it kept. Pruning that follows how often a row trains, which weight decay on rarely seen rows would cause,
/// puts the first far below the second (the notes' target: at most a quarter). Null medians: no such rows.
/// </summary>
public sealed record PrunedRowCounts(double? PrunedMedian, double? KeptMedian)
{
    public double? Ratio => PrunedMedian is { } pruned && KeptMedian is { } kept && kept > 0 ? pruned / kept : null;

    public static PrunedRowCounts Of(RowMask mask, long[] lookups)
    {
        var pruned = new List<long>();
        var kept = new List<long>();
        for (int f = 0; f < mask.Layout.FieldCount; f++)
        {
            for (int r = mask.Layout.Offsets[f]; r < mask.Layout.Offsets[f] + mask.Layout.Sizes[f]; r++)
            {
                (mask.Keeps(r, f) ? kept : pruned).Add(lookups[r]);
            }
        }

        return new PrunedRowCounts(Median(pruned), Median(kept));
    }

    /// <summary>How many times each table row is looked up in <paramref name="train"/>: the steps its gradient is not zero.</summary>
    public static long[] Lookups(IBatchSource train, int totalRows)
    {
        long[] lookups = new long[totalRows];
        foreach (Batch batch in train.Batches(8192, shuffle: false, seed: 0))
        {
            foreach (int id in batch.IdsInUse)
            {
                lookups[id]++;
            }
        }

        return lookups;
    }

    private static double? Median(List<long> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        int half = values.Count / 2;
        return values.Count % 2 == 1 ? values[half] : (values[half - 1] + values[half]) / 2.0;
    }
}
