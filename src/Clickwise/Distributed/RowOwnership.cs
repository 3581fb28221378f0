namespace Clickwise.Distributed;

/// <summary>
/// Which rank owns a table row under row-wise sharding: a multiplicative hash of the row spread over the ranks, so
/// every field's ids (consecutive global rows, frequent ones first) land evenly instead of by range.
/// </summary>
public static class RowOwnership
{
    public static int Owner(int row, int ranks) => (int)(((ulong)((uint)row * 0x9E3779B1u) * (uint)ranks) >> 32);

    /// <summary>How many of rows 0..<paramref name="rowCount"/> − 1 each rank owns.</summary>
    public static int[] Counts(int rowCount, int ranks)
    {
        int[] counts = new int[ranks];
        for (int row = 0; row < rowCount; row++)
        {
            counts[Owner(row, ranks)]++;
        }

        return counts;
    }
}
