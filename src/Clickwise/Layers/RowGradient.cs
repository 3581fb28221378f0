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
            Values.AsSpan(slot * Width, Width).Clear();
        }

        return Values.AsSpan(slot * Width, Width);
    }

    public ReadOnlySpan<float> SlotValues(int slot) => Values.AsSpan(slot * Width, Width);

    public void Clear()
    {
        for (int s = 0; s < Count; s++)
        {
            _slotOfRow[Rows[s]] = -1;
        }

        Count = 0;
    }
}
