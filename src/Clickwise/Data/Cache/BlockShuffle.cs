namespace Clickwise.Data.Cache;

/// <summary>
/// The order of an epoch over a cache larger than memory: the subset is cut into blocks of consecutive rows, the blocks
/// are taken in a seeded random order a window of several at a time, each block of a window is read once front to back
/// (large sequential reads instead of one random page per row), and the window's rows are shuffled among themselves.
/// Memory: the window's row numbers (8 bytes a row) and the pages of the window being read; any row count, any size.
/// Rows that are far apart in the file still meet in a batch only when their blocks share a window, so a file sorted by
/// time (Criteo) keeps some time locality within an epoch: the price of bounded I/O, measured in
/// <c>benchmarks/amd-epyc/out-of-core</c>.
/// </summary>
internal static class BlockShuffle
{
    /// <summary>Every row of <paramref name="rows"/> once, in the block-shuffled order of <paramref name="seed"/>.</summary>
    public static IEnumerable<long> Rows(CacheFile cache, RowSubset rows, int blockRows, int windowBlocks, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowBlocks, 1);
        long[] starts = rows.ChunkStarts(blockRows);
        int[] blocks = [.. Enumerable.Range(0, starts.Length)];
        SeededShuffle.Shuffle(blocks, seed);
        long[] window = new long[(int)Math.Min((long)blockRows * windowBlocks, Math.Max(rows.Count, 1))];
        var reader = new Batch((int)Math.Min(blockRows, Math.Max(rows.Count, 1)), cache.FieldCount);
        for (int first = 0; first < blocks.Length; first += windowBlocks)
        {
            int n = 0;
            foreach (int block in blocks.AsSpan(first, Math.Min(windowBlocks, blocks.Length - first)))
            {
                int count = rows.RowsFrom(starts[block], window.AsSpan(n, Math.Min(blockRows, window.Length - n)));
                // One pass over the block in file order brings its pages in as sequential reads before the random ones.
                cache.CopyRows(window.AsSpan(n, count), reader);
                n += count;
            }

            SeededShuffle.Shuffle(window.AsSpan(0, n), unchecked((seed * 1_000_003) + first));
            for (int i = 0; i < n; i++)
            {
                yield return window[i];
            }
        }
    }
}
