using Clickwise.Data;
using Clickwise.Data.Cache;

namespace Clickwise.Tests.DataCache;

/// <summary>Each cache row's first id is 1000 + its row index, so a batch names the rows it carries.</summary>
public sealed class CacheBatchSourceTests : IDisposable
{
    private const int Rows = 1000;
    private const int Fields = 3;

    private readonly TempDirectory _dir = new();
    private readonly CacheFile _cache;

    public CacheBatchSourceTests()
    {
        int[] ids = new int[Rows * Fields];
        float[] labels = new float[Rows];
        for (int row = 0; row < Rows; row++)
        {
            ids[row * Fields] = 1000 + row;
            ids[(row * Fields) + 1] = row % 7;
            ids[(row * Fields) + 2] = row * 3;
            labels[row] = row % 3 == 0 ? 1 : 0;
        }

        CacheFileTests.Write(_dir.File("c.cwcache"), ids, null, labels, checksum: 9);
        _cache = CacheFile.Open(_dir.File("c.cwcache"), 9);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryRowOfTheSplitOnceAndNothingElse(bool shuffle)
    {
        var split = new RowSplit(Rows, SplitMode.Random, SplitRatios.Default, seed: 4);
        RowSubset train = split.Part(SplitPart.Train);
        var source = new CacheBatchSource(_cache, train);
        List<int> seen = Walk(source, batchSize: 64, shuffle, seed: 1);

        Assert.Equal(train.ToArray(), seen.Order());
        if (!shuffle)
        {
            Assert.Equal(train.ToArray(), seen);
        }
    }

    [Fact]
    public void BatchesCarryTheirRowsWholeAndAreFullExceptTheLast()
    {
        var source = new CacheBatchSource(_cache, RowSubset.Range(0, Rows));
        var counts = new List<int>();
        foreach (Batch batch in source.Batches(300, shuffle: true, seed: 3))
        {
            counts.Add(batch.Count);
            for (int r = 0; r < batch.Count; r++)
            {
                int row = batch.Ids[r * Fields] - 1000;
                Assert.Equal([1000 + row, row % 7, row * 3], batch.Ids.AsSpan(r * Fields, Fields));
                Assert.Equal(row % 3 == 0 ? 1f : 0f, batch.Labels[r]);
            }
        }

        Assert.Equal([300, 300, 300, 100], counts);
    }

    [Fact]
    public void OrderDependsOnlyOnTheSeed()
    {
        var source = new CacheBatchSource(_cache, RowSubset.Range(100, 800));
        List<int> a = Walk(source, 50, shuffle: true, seed: 11);
        List<int> b = Walk(source, 50, shuffle: true, seed: 11);
        List<int> c = Walk(source, 50, shuffle: true, seed: 12);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(Enumerable.Range(100, 800), a);
    }

    [Fact]
    public void PrefetchDoesNotTouchTheBatchInUse()
    {
        var source = new CacheBatchSource(_cache, RowSubset.Range(0, Rows));
        var buffers = new HashSet<Batch>();
        int total = 0;
        foreach (Batch batch in source.Batches(32, shuffle: true, seed: 5))
        {
            buffers.Add(batch);
            int[] snapshot = batch.IdsInUse.ToArray();
            float[] labels = batch.LabelsInUse.ToArray();

            // Give the producer time to fill every free buffer; it must not write into this one.
            Thread.Sleep(total < 96 ? 20 : 0);
            Assert.Equal(snapshot, batch.IdsInUse.ToArray());
            Assert.Equal(labels, batch.LabelsInUse.ToArray());
            total += batch.Count;
        }

        Assert.Equal(Rows, total);
        Assert.InRange(buffers.Count, 2, 3); // buffers rotate instead of being allocated per batch
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SynchronousReadingYieldsTheSameBatchesFromOneBufferOnTheCallersThread(bool shuffle)
    {
        var source = new CacheBatchSource(_cache, RowSubset.Range(50, 900));
        IBatchSource synchronous = source.Synchronous();
        Assert.Same(synchronous, synchronous.Synchronous());
        Assert.Equal(Walk(source, 64, shuffle, seed: 8), Walk(synchronous, 64, shuffle, seed: 8));

        var buffers = new HashSet<Batch>();
        int thread = Environment.CurrentManagedThreadId;
        foreach (Batch batch in synchronous.Batches(64, shuffle, seed: 8))
        {
            buffers.Add(batch);
            Assert.Equal(thread, Environment.CurrentManagedThreadId);
        }

        Assert.Single(buffers);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BlockShufflingVisitsEveryRowOnceAWindowOfBlocksAtATime(bool split)
    {
        RowSubset rows = split
            ? new RowSplit(Rows, SplitMode.Random, SplitRatios.Default, seed: 4).Part(SplitPart.Train)
            : RowSubset.Range(30, 950);
        IBatchSource source = new CacheBatchSource(_cache, rows).BlockShuffled(blockRows: 40, windowBlocks: 3);
        List<int> seen = Walk(source, batchSize: 64, shuffle: true, seed: 6);

        long[] all = [.. rows.Chunks(1000).SelectMany(chunk => chunk.ToArray())];
        Assert.Equal(all.Select(r => (int)r), seen.Order());
        Assert.Equal(seen, Walk(source, 64, shuffle: true, seed: 6));
        Assert.NotEqual(seen, Walk(source, 64, shuffle: true, seed: 7));
        Assert.NotEqual(all.Select(r => (int)r), seen);

        // The walk cuts into windows of whole blocks (40 consecutive subset rows; the last one shorter), 3 at most each.
        int[] blockOf = new int[Rows];
        for (int i = 0; i < all.Length; i++)
        {
            blockOf[all[i]] = i / 40;
        }

        int BlockSize(int block) => Math.Min(40, all.Length - (block * 40));
        var open = new HashSet<int>();
        int rowsInOpen = 0, windows = 0;
        foreach (int row in seen)
        {
            open.Add(blockOf[row]);
            Assert.InRange(open.Count, 1, 3);
            if (++rowsInOpen == open.Sum(BlockSize))
            {
                (open, rowsInOpen, windows) = ([], 0, windows + 1);
            }
        }

        Assert.Empty(open);
        Assert.Equal((all.Length + 119) / 120, windows);

        // In order (evaluation) block shuffling changes nothing.
        Assert.Equal(all.Select(r => (int)r), Walk(source, 64, shuffle: false, seed: 0));
        Assert.Equal(seen, Walk(source.Synchronous(), 64, shuffle: true, seed: 6));
    }

    [Fact]
    public void AnInMemorySourceRefusesBlockShufflingByName()
    {
        var source = new InMemoryBatchSource([1, 2], null, [0, 1], fieldCount: 1);
        var error = Assert.Throws<NotSupportedException>(() => ((IBatchSource)source).BlockShuffled(10, 2));
        Assert.Contains("InMemoryBatchSource", error.Message);
    }

    [Fact]
    public void LeavingEarlyStopsTheProducer()
    {
        var source = new CacheBatchSource(_cache, RowSubset.Range(0, Rows));
        Batch first = source.Batches(10, shuffle: false, seed: 0).First();
        Assert.Equal(1000, first.Ids[0]);
        Assert.Equal(Rows - 1, Walk(source, 10, shuffle: false, seed: 0).Last());
    }

    [Fact]
    public void EmptySubsetYieldsNothing()
    {
        var source = new CacheBatchSource(_cache, RowSubset.Range(0, 0));
        Assert.Empty(source.Batches(10, shuffle: true, seed: 0));
        Assert.Equal(0, source.RowCount);
    }

    public void Dispose()
    {
        _cache.Dispose();
        _dir.Dispose();
    }

    private static List<int> Walk(IBatchSource source, int batchSize, bool shuffle, int seed)
    {
        var rows = new List<int>();
        foreach (Batch batch in source.Batches(batchSize, shuffle, seed))
        {
            for (int r = 0; r < batch.Count; r++)
            {
                rows.Add(batch.Ids[r * Fields] - 1000);
            }
        }

        return rows;
    }
}
