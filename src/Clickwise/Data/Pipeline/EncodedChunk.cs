using System.Buffers;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// One chunk's rows encoded by a worker (ids [rows, F], values [rows, F], labels [rows]) in pooled arrays, waiting for
/// the writer to append them in chunk order; <see cref="Release"/> gives the arrays back.
/// </summary>
internal sealed class EncodedChunk(int fieldCount)
{
    private const int FirstRows = 8192; // a 1 MB chunk of Criteo text holds about 4,300 rows

    private int[] _ids = ArrayPool<int>.Shared.Rent(FirstRows * fieldCount);
    private float[] _values = ArrayPool<float>.Shared.Rent(FirstRows * fieldCount);
    private float[] _labels = ArrayPool<float>.Shared.Rent(FirstRows);

    public int Rows { get; private set; }

    /// <summary>Whether any value is not 1 (else the writer is given none).</summary>
    public bool Weighted { get; set; }

    public ReadOnlySpan<int> Ids => _ids.AsSpan(0, Rows * fieldCount);

    public ReadOnlySpan<float> Values => Weighted ? _values.AsSpan(0, Rows * fieldCount) : default;

    public ReadOnlySpan<float> Labels => _labels.AsSpan(0, Rows);

    /// <summary>Room for one more row, its label set; returns its index, whose ids and values the caller fills.</summary>
    public int Add(float label)
    {
        if (Rows == _labels.Length || (Rows + 1) * fieldCount > Math.Min(_ids.Length, _values.Length))
        {
            Grow(ref _ids, Rows * fieldCount);
            Grow(ref _values, Rows * fieldCount);
            Grow(ref _labels, Rows);
        }

        _labels[Rows] = label;
        return Rows++;
    }

    public Span<int> IdsOf(int row) => _ids.AsSpan(row * fieldCount, fieldCount);

    public Span<float> ValuesOf(int row) => _values.AsSpan(row * fieldCount, fieldCount);

    public void Release()
    {
        ArrayPool<int>.Shared.Return(_ids);
        ArrayPool<float>.Shared.Return(_values);
        ArrayPool<float>.Shared.Return(_labels);
        _ids = [];
        _values = _labels = [];
    }

    private static void Grow<T>(ref T[] array, int used)
    {
        T[] larger = ArrayPool<T>.Shared.Rent(2 * array.Length);
        array.AsSpan(0, used).CopyTo(larger);
        ArrayPool<T>.Shared.Return(array);
        array = larger;
    }
}
