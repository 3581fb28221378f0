namespace Clickwise.Data.Cache;

/// <summary>
/// A set of cache rows: a contiguous range, or the rows of a range that a <see cref="RowSplit"/> assigns to one part.
/// Enumerated in ascending row order.
/// </summary>
public sealed class RowSubset
{
    private readonly RowSplit? _split;
    private readonly SplitPart _part;
    private readonly int _start;
    private readonly int _end;

    internal RowSubset(RowSplit? split, SplitPart part, int start, int end, long count)
    {
        _split = split;
        _part = part;
        _start = start;
        _end = end;
        Count = count;
    }

    /// <summary>Rows [start, start + count).</summary>
    public static RowSubset Range(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new RowSubset(null, SplitPart.Train, start, checked(start + count), count);
    }

    public long Count { get; }

    public bool Contains(int row) => row >= _start && row < _end && (_split is null || _split.PartOf(row) == _part);

    /// <summary>Writes the rows in ascending order into <paramref name="destination"/> (length ≥ <see cref="Count"/>).</summary>
    public void CopyTo(Span<int> destination)
    {
        if (destination.Length < Count)
        {
            throw new ArgumentException($"destination holds {destination.Length} rows, the subset has {Count}");
        }

        int n = 0;
        for (int row = _start; row < _end; row++)
        {
            if (_split is null || _split.PartOf(row) == _part)
            {
                destination[n++] = row;
            }
        }
    }

    public int[] ToArray()
    {
        int[] rows = new int[Count];
        CopyTo(rows);
        return rows;
    }
}
