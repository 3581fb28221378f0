using Clickwise.Data.Cache;
using Clickwise.Features;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// One <see cref="RowBatch"/> encoded (ids [B, F], values [B, F], labels [B], each row's extra features), held until
/// the batches before it are in the cache: workers encode disjoint rows of it, then it is written in reading order.
/// </summary>
internal sealed class EncodedRows
{
    private readonly int _fieldCount;
    private readonly int[] _ids;
    private readonly float[] _values;
    private readonly float[] _labels;
    private readonly bool[] _weighted;
    private readonly ExtraFeatures[] _extras;

    public EncodedRows(int fieldCount, int capacity)
    {
        _fieldCount = fieldCount;
        _ids = new int[capacity * fieldCount];
        _values = new float[capacity * fieldCount];
        _labels = new float[capacity];
        _weighted = new bool[capacity];
        _extras = [.. Enumerable.Range(0, capacity).Select(_ => new ExtraFeatures(fieldCount))];
    }

    /// <summary>Encodes rows [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="batch"/> with a worker's own encoder.</summary>
    public void Encode(RowBatch batch, int from, int to, FeatureEncoder encoder)
    {
        for (int r = from; r < to; r++)
        {
            RawRecord record = batch[r];
            ExtraFeatures extras = _extras[r];
            extras.Clear();
            _weighted[r] = encoder.Encode(record, _ids.AsSpan(r * _fieldCount, _fieldCount), _values.AsSpan(r * _fieldCount, _fieldCount), extras);
            _labels[r] = record.Label;
        }
    }

    /// <summary>Appends the first <paramref name="count"/> rows to the cache, in order.</summary>
    public void WriteTo(CacheWriter writer, int count)
    {
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<float> values = _weighted[r] ? _values.AsSpan(r * _fieldCount, _fieldCount) : default;
            writer.Append(_ids.AsSpan(r * _fieldCount, _fieldCount), values, _labels[r], _extras[r].InUse);
        }
    }
}
