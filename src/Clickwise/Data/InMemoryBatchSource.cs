namespace Clickwise.Data;

/// <summary>Rows held in arrays: ids [N, F] (global rows), optional values [N, F], labels [N]. For tests and small data.</summary>
public sealed class InMemoryBatchSource : IBatchSource
{
    private readonly int[] _ids;
    private readonly float[]? _values;
    private readonly float[] _labels;

    public InMemoryBatchSource(int[] ids, float[]? values, float[] labels, int fieldCount)
    {
        if (ids.Length != labels.Length * fieldCount || (values is not null && values.Length != ids.Length))
        {
            throw new ArgumentException($"ids ({ids.Length}), values and labels ({labels.Length}) disagree with {fieldCount} fields.");
        }

        _ids = ids;
        _values = values;
        _labels = labels;
        FieldCount = fieldCount;
    }

    public int FieldCount { get; }

    public long RowCount => _labels.Length;

    public IEnumerable<Batch> Batches(int batchSize, bool shuffle, int seed)
    {
        int n = _labels.Length;
        int[] order = Enumerable.Range(0, n).ToArray();
        if (shuffle)
        {
            new Random(seed).Shuffle(order);
        }

        var batch = new Batch(Math.Max(1, Math.Min(batchSize, Math.Max(n, 1))), FieldCount) { HasValues = _values is not null };
        int f = FieldCount;
        for (int start = 0; start < n; start += batchSize)
        {
            int count = Math.Min(batchSize, n - start);
            for (int r = 0; r < count; r++)
            {
                int src = order[start + r];
                _ids.AsSpan(src * f, f).CopyTo(batch.Ids.AsSpan(r * f, f));
                _values?.AsSpan(src * f, f).CopyTo(batch.Values.AsSpan(r * f, f));
                batch.Labels[r] = _labels[src];
            }

            batch.Count = count;
            yield return batch;
        }
    }
}
