namespace Clickwise.Data;

/// <summary>
/// Up to <see cref="Capacity"/> rows copied off the reader (their tokens in the batch's own arena), in reading order,
/// passed from the reading thread to the workers of <see cref="ParallelRows"/>. Batches are pooled: <see cref="Slot"/>
/// names the batch's place in the pool, for state a pass keeps beside each batch.
/// </summary>
public sealed class RowBatch
{
    private readonly RawRecord[] _records;
    private readonly TokenArena _arena = new();
    private int _pending;

    internal RowBatch(int slot, int fieldCount, int capacity)
        : this(slot, [.. Enumerable.Range(0, capacity).Select(_ => new RawRecord(fieldCount))])
    {
    }

    private RowBatch(int slot, RawRecord[] records)
    {
        Slot = slot;
        _records = records;
    }

    /// <summary>A batch of the one record a reader fills in place (work done on the reading thread needs no copy).</summary>
    internal static RowBatch Of(RawRecord record) => new(0, [record]) { Count = 1 };

    public int Slot { get; }

    public int Capacity => _records.Length;

    public int Count { get; private set; }

    public RawRecord this[int row] => _records[row];

    internal bool IsFull => Count == _records.Length;

    internal void Add(RawRecord record) => record.CopyTo(_records[Count++], _arena);

    /// <summary>Hands the batch to <paramref name="workers"/> workers.</summary>
    internal void Start(int workers) => _pending = workers;

    /// <summary>One worker is done with the batch; true for the last one.</summary>
    internal bool FinishOne() => Interlocked.Decrement(ref _pending) == 0;

    internal void Clear()
    {
        Count = 0;
        _arena.Reset();
    }
}
