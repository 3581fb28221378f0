namespace Clickwise.Data.Cache;

/// <summary>
/// A set of cache rows: a contiguous range, or the rows of a range that a <see cref="RowSplit"/> assigns to one part.
/// Enumerated in ascending row order. Rows are 64-bit (a cache may hold more than 2³¹); a permutation of the subset
/// (<see cref="ToArray"/>, for shuffling) needs it to lie below row 2³¹.
/// </summary>
public sealed class RowSubset
{
    private readonly RowSplit? _split;
    private readonly SplitPart _part;
    private readonly long _start;
    private readonly long _end;

    internal RowSubset(RowSplit? split, SplitPart part, long start, long end, long count)
    {
        _split = split;
        _part = part;
        _start = start;
        _end = end;
        Count = count;
    }

    /// <summary>Rows [start, start + count).</summary>
    public static RowSubset Range(long start, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new RowSubset(null, SplitPart.Train, start, checked(start + count), count);
    }

    public long Count { get; }

    /// <summary>
    /// Shard <paramref name="index"/> of <paramref name="count"/> equal shards of consecutive subset rows, Count / count
    /// each: data-parallel ranks take one each and so run the same number of equal batches (the last Count mod count
    /// rows train on no rank).
    /// </summary>
    public RowSubset Shard(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        long size = Count / count, first = index * size, seen = 0, start = _start, end = _start;
        for (long row = _start; row < _end && size > 0; row++)
        {
            if (!Contains(row))
            {
                continue;
            }

            if (seen++ == first)
            {
                start = row;
            }

            if (seen == first + size)
            {
                end = row + 1;
                break;
            }
        }

        return new RowSubset(_split, _part, start, Math.Max(start, end), size);
    }

    public bool Contains(long row) => row >= _start && row < _end && (_split is null || _split.PartOf(row) == _part);

    /// <summary>Writes the rows in ascending order into <paramref name="destination"/> (length ≥ <see cref="Count"/>).</summary>
    public void CopyTo(Span<int> destination)
    {
        if (destination.Length < Count)
        {
            throw new ArgumentException($"destination holds {destination.Length} rows, the subset has {Count}");
        }

        if (_end - 1 > int.MaxValue)
        {
            throw new NotSupportedException($"rows up to {_end - 1:N0} cannot be listed as 32-bit indices (shuffled); "
                + "read a part beyond row 2³¹ in order, or split the data into files");
        }

        int n = 0;
        for (long row = _start; row < _end; row++)
        {
            if (_split is null || _split.PartOf(row) == _part)
            {
                destination[n++] = (int)row;
            }
        }
    }

    public int[] ToArray()
    {
        int[] rows = new int[Count];
        CopyTo(rows);
        return rows;
    }

    /// <summary>The first row of each chunk of <see cref="Chunks"/>(<paramref name="size"/>), so that a chunk can be read alone (<see cref="RowsFrom"/>).</summary>
    public long[] ChunkStarts(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        long[] starts = new long[checked((int)((Count + size - 1) / size))];
        int n = 0;
        foreach (ReadOnlyMemory<long> chunk in Chunks(size))
        {
            starts[n++] = chunk.Span[0];
        }

        return starts;
    }

    /// <summary>Up to <c>destination.Length</c> rows of the subset from <paramref name="start"/> on, ascending; returns how many.</summary>
    public int RowsFrom(long start, Span<long> destination)
    {
        int n = 0;
        for (long row = Math.Max(start, _start); row < _end && n < destination.Length; row++)
        {
            if (_split is null || _split.PartOf(row) == _part)
            {
                destination[n++] = row;
            }
        }

        return n;
    }

    /// <summary>The rows in ascending order, <paramref name="size"/> at a time, in one reused buffer (valid until the next chunk).</summary>
    public IEnumerable<ReadOnlyMemory<long>> Chunks(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        long[] buffer = new long[(int)Math.Min(size, Math.Max(Count, 1))];
        int n = 0;
        for (long row = _start; row < _end; row++)
        {
            if (_split is not null && _split.PartOf(row) != _part)
            {
                continue;
            }

            buffer[n++] = row;
            if (n == buffer.Length)
            {
                yield return buffer;
                n = 0;
            }
        }

        if (n > 0)
        {
            yield return buffer.AsMemory(0, n);
        }
    }
}
