using System.Runtime.Intrinsics.X86;

namespace Clickwise.Layers;

/// <summary>
/// The gradient of a row-sparse parameter (an embedding table) for one step: only the rows the batch touched,
/// each once, in first-touch order. Accumulating twice into the same row sums, like a dense gradient would.
/// Sized for a one-hot step (B·F rows); a step whose multi-hot fields touch more grows it, once, by doubling.
/// </summary>
public sealed class RowGradient
{
    // Entry − _base is the row's slot when it lies in [0, Count); anything else means untouched this step. Clear
    // moves _base past every slot of the step instead of visiting the touched entries (tens of thousands of random
    // writes into a map of millions of rows). Entries never written hold int.MinValue, whose distance to any base
    // wraps far above the capacity.
    private readonly int[] _slotOfRow;
    private int _base;

    public RowGradient(int rowCount, int width, int maxRows)
        : this(rowCount, width, maxRows, firstBase: 0)
    {
    }

    /// <summary>Tests start the bases near their limit to reach the rare start-over.</summary>
    internal RowGradient(int rowCount, int width, int maxRows, int firstBase)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Width = width;
        _slotOfRow = new int[rowCount];
        _slotOfRow.AsSpan().Fill(int.MinValue);
        Rows = new int[maxRows];
        Values = new float[(long)maxRows * width];
        _base = firstBase;
    }

    public int Width { get; }

    /// <summary>Number of distinct rows touched since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Touched row indices, first <see cref="Count"/> entries valid.</summary>
    public int[] Rows { get; private set; }

    /// <summary>Gradient rows [Count, Width], parallel to <see cref="Rows"/>; replaced when the capacity grows: read it after registering.</summary>
    public float[] Values { get; private set; }

    /// <summary>The gradient row for <paramref name="row"/>, zeroed and registered on first touch.</summary>
    public Span<float> Row(int row)
    {
        int before = Count;
        int slot = SlotFor(row);
        if (slot == before)
        {
            Values.AsSpan(slot * Width, Width).Clear();
        }

        return Values.AsSpan(slot * Width, Width);
    }

    /// <summary>
    /// Registers every row of <paramref name="rows"/> like <see cref="Row"/> does (new rows zeroed, in first-touch
    /// order) and writes each one's slot to <paramref name="slots"/>, so the accumulation can then run on several cores
    /// by slot ownership without touching the row→slot map.
    /// </summary>
    public unsafe void Register(ReadOnlySpan<int> rows, Span<int> slots)
    {
        const int PrefetchDistance = 16;
        ArgumentOutOfRangeException.ThrowIfLessThan(slots.Length, rows.Length);
        int firstNew = Count;
        fixed (int* map = _slotOfRow)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                // The map is one int per table row (MBs): its entries miss cache unless fetched ahead.
                if (Sse.IsSupported && i + PrefetchDistance < rows.Length)
                {
                    Sse.Prefetch0(map + rows[i + PrefetchDistance]);
                }

                slots[i] = SlotFor(rows[i]);
            }
        }

        Values.AsSpan(firstNew * Width, (Count - firstNew) * Width).Clear();
    }

    /// <summary>The gradient row of a slot returned by <see cref="Register"/>.</summary>
    public Span<float> Slot(int slot) => Values.AsSpan(slot * Width, Width);

    public ReadOnlySpan<float> SlotValues(int slot) => Values.AsSpan(slot * Width, Width);

    /// <summary>The slot of <paramref name="row"/> when it was touched since the last <see cref="Clear"/>, else −1.</summary>
    public int SlotOf(int row)
    {
        int slot = unchecked(_slotOfRow[row] - _base);
        return (uint)slot < (uint)Count ? slot : -1;
    }

    public void Clear()
    {
        Count = 0;
        if (_base > int.MaxValue - 3 * Rows.Length)
        {
            // Once in ~2³¹ / capacity steps: start the bases over.
            _slotOfRow.AsSpan().Fill(int.MinValue);
            _base = 0;
            return;
        }

        _base += Rows.Length;
    }

    /// <summary>The slot of <paramref name="row"/>, registering it (values not yet zeroed) on first touch.</summary>
    private int SlotFor(int row)
    {
        int slot = unchecked(_slotOfRow[row] - _base);
        if ((uint)slot >= (uint)Count)
        {
            slot = Count++;
            if (slot >= Rows.Length)
            {
                Grow();
            }

            _slotOfRow[row] = _base + slot;
            Rows[slot] = row;
        }

        return slot;
    }

    /// <summary>Doubles the capacity, up to the table's rows (more than a step can touch, so growing always makes room).</summary>
    private void Grow()
    {
        int capacity = (int)Math.Min(_slotOfRow.Length, Math.Max(2L * Rows.Length, 1));
        int[] rows = new int[capacity];
        Rows.CopyTo(rows, 0);
        float[] values = new float[(long)capacity * Width];
        Values.CopyTo(values, 0);
        (Rows, Values) = (rows, values);
    }
}
