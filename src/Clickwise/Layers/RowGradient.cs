using System.Runtime.Intrinsics.X86;

namespace Clickwise.Layers;

/// <summary>
/// The gradient of a row-sparse parameter (an embedding table) for one step: only the rows the batch touched,
/// each once, in first-touch order. Accumulating twice into the same row sums, like a dense gradient would.
/// </summary>
public sealed class RowGradient
{
    private readonly int[] _slotOfRow;

    public RowGradient(int rowCount, int width, int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Width = width;
        _slotOfRow = new int[rowCount];
        _slotOfRow.AsSpan().Fill(-1);
        Rows = new int[maxRows];
        Values = new float[(long)maxRows * width];
    }

    public int Width { get; }

    /// <summary>Number of distinct rows touched since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Touched row indices, first <see cref="Count"/> entries valid.</summary>
    public int[] Rows { get; }

    /// <summary>Gradient rows [Count, Width], parallel to <see cref="Rows"/>.</summary>
    public float[] Values { get; }

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

    public void Clear()
    {
        for (int s = 0; s < Count; s++)
        {
            _slotOfRow[Rows[s]] = -1;
        }

        Count = 0;
    }

    /// <summary>The slot of <paramref name="row"/>, registering it (values not yet zeroed) on first touch.</summary>
    private int SlotFor(int row)
    {
        int slot = _slotOfRow[row];
        if (slot < 0)
        {
            slot = Count++;
            if (slot >= Rows.Length)
            {
                throw new InvalidOperationException($"RowGradient capacity {Rows.Length} exceeded.");
            }

            _slotOfRow[row] = slot;
            Rows[slot] = row;
        }

        return slot;
    }
}
