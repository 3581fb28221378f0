using System.Runtime.InteropServices;
using Clickwise.Data;
using Clickwise.Data.Cache;

namespace Clickwise.Tests.DataCache;

/// <summary>
/// A cache of more than 2³¹ rows (Criteo 1TB has 4.37 billion): a sparse file whose header claims 2³¹ + 5 rows
/// (File.SetLength leaves holes, so its 26 GB cost no disk) and whose rows beyond 2³¹ carry known values.
/// </summary>
public sealed class LargeCacheTests
{
    private const long Rows = (1L << 31) + 5;
    private const int Fields = 2;

    [Fact]
    public void RowsBeyond2To31AreAddressedByTheReaderTheSplitAndInOrderBatches()
    {
        using var dir = new TempDirectory();
        string path = dir.File("huge.cwcache");
        Write(path, (1L << 31, [33, 44], 0f), (Rows - 1, [11, 22], 1f));

        using CacheFile cache = CacheFile.Open(path, expectedFeatureMapChecksum: 7);
        Assert.Equal(Rows, cache.RowCount);
        Assert.Equal([11, 22], cache.Ids(Rows - 1).ToArray());
        Assert.Equal(1f, cache.Label(Rows - 1));
        Assert.Equal([33, 44], cache.Ids(1L << 31).ToArray());
        Assert.Equal([0, 0], cache.Ids((1L << 31) - 1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Label(Rows));

        // A sequential split's test part: the last rows, all beyond 2³¹, read in order as an evaluation reads them.
        var split = new RowSplit(Rows, SplitMode.Sequential, new SplitRatios(1 - 2e-9, 0, 2e-9), seed: 0);
        long tail = split.Count(SplitPart.Test);
        Assert.InRange(tail, 1, 10);
        Batch[] batches = [.. new CacheBatchSource(cache, split.Part(SplitPart.Test)).Batches(64, shuffle: false, seed: 0)];
        Batch last = Assert.Single(batches);
        Assert.Equal((int)tail, last.Count);
        Assert.Equal([11, 22], last.IdsInUse[^Fields..].ToArray());
        Assert.Equal(1f, last.LabelsInUse[^1]);

        var around = new CacheBatchSource(cache, RowSubset.Range((1L << 31) - 1, 6));
        int[] ids = [.. around.Batches(4, shuffle: false, seed: 0).SelectMany(b => b.IdsInUse.ToArray())];
        Assert.Equal([0, 0, 33, 44, 0, 0, 0, 0, 0, 0, 11, 22], ids);

        var error = Assert.Throws<NotSupportedException>(() => around.Batches(4, shuffle: true, seed: 1).First());
        Assert.Contains("2³¹", error.Message);
    }

    /// <summary>A header for <see cref="Rows"/> rows, the file extended to its full length as a hole, and a few rows written.</summary>
    private static void Write(string path, params (long Row, int[] Ids, float Label)[] rows)
    {
        var header = new CacheHeader(Fields, Rows, FeatureMapChecksum: 7, HasValues: false);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        Span<byte> head = stackalloc byte[CacheHeader.Size];
        header.Write(head);
        file.Write(head);
        file.SetLength(header.FileLength);
        foreach ((long row, int[] ids, float label) in rows)
        {
            file.Position = header.IdsOffset + (row * Fields * sizeof(int));
            file.Write(MemoryMarshal.AsBytes(ids.AsSpan()));
            file.Position = header.LabelsOffset + (row * sizeof(float));
            file.Write(BitConverter.GetBytes(label));
        }
    }
}
