using System.Collections.Concurrent;

namespace Clickwise.Data.Cache;

/// <summary>
/// Mini-batches over a subset of a memory-mapped cache, with asynchronous prefetch (the DeepFM paper's
/// asynchronous data reading): a background task fills the next batches while the consumer computes on the
/// current one. Buffers rotate through a free/ready pair of queues, so a yielded batch is handed back for
/// refilling only when the consumer advances — it stays valid until MoveNext, as <see cref="IBatchSource"/> promises.
/// </summary>
/// <remarks>
/// Shuffling is a full permutation of the subset per epoch (4 bytes per row: 180 MB for Criteo's 45M) by default: it
/// gives i.i.d. batches whatever the file's row order (Criteo is time-ordered), and its cost is small next to the cache
/// while the cache fits in memory. For a cache that does not, <see cref="BlockShuffled"/> reads it in large sequential
/// blocks instead (<see cref="BlockShuffle"/>). The order depends only on the seed; callers pass a new seed per epoch.
/// Reading in order streams the rows instead, so evaluation and scans reach every row of a cache beyond 2³¹ rows;
/// a shuffled part must lie below row 2³¹ (a larger one would need block shuffling).
/// </remarks>
public sealed class CacheBatchSource : IBatchSource
{
    /// <summary>Batches in flight: one with the consumer, the rest being filled ahead.</summary>
    private const int BufferCount = 3;

    private readonly CacheFile _cache;
    private readonly RowSubset _rows;
    private readonly bool _prefetch;
    private readonly (int Rows, int Window) _blocks;

    public CacheBatchSource(CacheFile cache, RowSubset rows)
        : this(cache, rows, prefetch: true, blocks: default)
    {
    }

    private CacheBatchSource(CacheFile cache, RowSubset rows, bool prefetch, (int Rows, int Window) blocks)
    {
        _cache = cache;
        _rows = rows;
        _prefetch = prefetch;
        _blocks = blocks;
    }

    public int FieldCount => _cache.FieldCount;

    public long RowCount => _rows.Count;

    public bool HasValues => _cache.HasValues;

    /// <summary>Shard <paramref name="index"/> of <paramref name="count"/> equal shards of these rows (<see cref="RowSubset.Shard"/>).</summary>
    public CacheBatchSource Shard(int index, int count) => new(_cache, _rows.Shard(index, count));

    public IEnumerable<Batch> Batches(int batchSize, bool shuffle, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return _prefetch ? Prefetched(batchSize, shuffle, seed) : Read(batchSize, shuffle, seed);
    }

    public IBatchSource Synchronous() => _prefetch ? new CacheBatchSource(_cache, _rows, prefetch: false, _blocks) : this;

    public IBatchSource BlockShuffled(int blockRows, int windowBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowBlocks, 1);
        return new CacheBatchSource(_cache, _rows, _prefetch, (blockRows, windowBlocks));
    }

    /// <summary>Each batch filled when the consumer asks for it, into one buffer.</summary>
    private IEnumerable<Batch> Read(int batchSize, bool shuffle, int seed)
    {
        if (_rows.Count == 0)
        {
            yield break;
        }

        var batch = new Batch((int)Math.Min(batchSize, _rows.Count), FieldCount) { HasValues = HasValues };
        foreach (Action<Batch> fill in Fills(batchSize, shuffle, seed))
        {
            fill(batch);
            yield return batch;
        }
    }

    private IEnumerable<Action<Batch>> Fills(int batchSize, bool shuffle, int seed) =>
        !shuffle ? InOrder(batchSize) : _blocks.Rows > 0 ? InBlocks(batchSize, seed) : Shuffled(batchSize, seed);

    /// <summary>The rows in <see cref="BlockShuffle"/>'s order, cut into batches (fills run one after another, in order).</summary>
    private IEnumerable<Action<Batch>> InBlocks(int batchSize, int seed)
    {
        IEnumerator<long> order = BlockShuffle.Rows(_cache, _rows, _blocks.Rows, _blocks.Window, seed).GetEnumerator();
        long[] rows = new long[(int)Math.Min(batchSize, _rows.Count)];
        for (long start = 0; start < _rows.Count; start += batchSize)
        {
            int count = (int)Math.Min(batchSize, _rows.Count - start);
            yield return batch =>
            {
                for (int i = 0; i < count; i++)
                {
                    order.MoveNext();
                    rows[i] = order.Current;
                }

                _cache.CopyRows(rows.AsSpan(0, count), batch);
            };
        }
    }

    private IEnumerable<Batch> Prefetched(int batchSize, bool shuffle, int seed)
    {
        if (_rows.Count == 0)
        {
            yield break;
        }

        IEnumerable<Action<Batch>> fills = Fills(batchSize, shuffle, seed);
        int capacity = (int)Math.Min(batchSize, _rows.Count);
        using var free = new BlockingCollection<Batch>();
        using var ready = new BlockingCollection<Batch>();
        for (int i = 0; i < BufferCount; i++)
        {
            free.Add(new Batch(capacity, FieldCount) { HasValues = HasValues });
        }

        using var stop = new CancellationTokenSource();
        Task producer = Task.Factory.StartNew(
            () => Fill(fills, free, ready, stop.Token),
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            Batch? current = null;
            foreach (Batch batch in ready.GetConsumingEnumerable())
            {
                if (current is not null)
                {
                    free.Add(current);
                }

                current = batch;
                yield return batch;
            }

            producer.GetAwaiter().GetResult();
        }
        finally
        {
            // Reached also when the consumer stops early: stop the producer before the buffers go away.
            stop.Cancel();
            try
            {
                producer.Wait();
            }
            catch (AggregateException)
            {
                // Either already rethrown above, or a cancellation the consumer asked for by leaving.
            }
        }
    }

    /// <summary>A permutation of the subset (32-bit rows: 4 bytes a row), cut into batches.</summary>
    private IEnumerable<Action<Batch>> Shuffled(int batchSize, int seed)
    {
        int[] order = _rows.ToArray();
        SeededShuffle.Shuffle(order, seed);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int from = start, count = Math.Min(batchSize, order.Length - start);
            yield return batch => _cache.CopyRows(order.AsSpan(from, count), batch);
        }
    }

    /// <summary>The subset in row order, streamed a batch at a time: no row list, so any row of any cache size.</summary>
    private IEnumerable<Action<Batch>> InOrder(int batchSize) =>
        _rows.Chunks(batchSize).Select(rows => (Action<Batch>)(batch => _cache.CopyRows(rows.Span, batch)));

    private static void Fill(IEnumerable<Action<Batch>> fills, BlockingCollection<Batch> free, BlockingCollection<Batch> ready, CancellationToken stop)
    {
        try
        {
            foreach (Action<Batch> fill in fills)
            {
                Batch batch = free.Take(stop);
                fill(batch);
                ready.Add(batch, stop);
            }
        }
        finally
        {
            ready.CompleteAdding();
        }
    }
}
