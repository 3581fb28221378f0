using Clickwise.Data;
using Clickwise.Data.Cache;
using Clickwise.Kernels;

namespace Clickwise.Tests.DataCache;

public sealed class CacheFileTests
{
    private const int Fields = 3;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriteThenMapReadsBackEveryRow(bool withValues)
    {
        using var dir = new TempDirectory();
        (int[] ids, float[] values, float[] labels) = Rows(101, withValues);
        string path = dir.File("c.cwcache");
        Write(path, ids, withValues ? values : null, labels, checksum: 0xABCDEF);

        using CacheFile cache = CacheFile.Open(path, 0xABCDEF);
        Assert.Equal(101, cache.RowCount);
        Assert.Equal(Fields, cache.FieldCount);
        Assert.Equal(withValues, cache.HasValues);
        for (int row = 0; row < 101; row++)
        {
            Assert.Equal(ids.AsSpan(row * Fields, Fields), cache.Ids(row));
            Assert.Equal(labels[row], cache.Label(row));
            if (withValues)
            {
                Assert.Equal(values.AsSpan(row * Fields, Fields), cache.Values(row));
            }
        }

        var batch = new Batch(4, Fields);
        cache.CopyRows([100, 0, 7], batch);
        Assert.Equal(3, batch.Count);
        Assert.Equal([.. ids.AsSpan(300, 3), .. ids.AsSpan(0, 3), .. ids.AsSpan(21, 3)], batch.IdsInUse);
        Assert.Equal([labels[100], labels[0], labels[7]], batch.LabelsInUse);
        Assert.Equal(withValues, batch.HasValues);
    }

    [Fact]
    public void MultiHotRowsRoundTripAsVersion2AndOneHotCachesStayVersion1()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.cwcache");
        using (var writer = new CacheWriter(path, 2, 1))
        {
            writer.Append([1, 2], default, 0);
            // field 0 has two more features, field 1 one more
            writer.Append([3, 4], [0.5f, 1f], 1, new ExtraLookups([0, 2, 3], [5, 6, 7], [0.5f, 0.25f, 1f]));
            writer.Append([8, 9], default, 0);
            writer.Append([10, 11], default, 1, new ExtraLookups([0, 0, 1], [12], [2f]));
            writer.Commit();
        }

        Assert.Equal(2, BitConverter.ToInt32(File.ReadAllBytes(path), 8));
        using CacheFile cache = CacheFile.Open(path);
        Assert.True(cache.HasExtras);
        var batch = new Batch(4, 2);
        cache.CopyRows([3, 1, 0], batch);
        Assert.Equal([10, 11, 3, 4, 1, 2], batch.IdsInUse);
        ExtraLookups extras = batch.ExtrasInUse;
        Assert.Equal([0, 0, 1, 3, 4, 4, 4], extras.Offsets);
        Assert.Equal([12, 5, 6, 7], extras.Ids);
        Assert.Equal([2f, 0.5f, 0.25f, 1f], extras.Values);

        cache.CopyRows([2, 0], batch);
        Assert.True(batch.ExtrasInUse.IsEmpty);
        Assert.Equal(0, batch.Extras.Count);

        string oneHot = WriteFiveRows(dir, checksum: 1);
        Assert.Equal(1, BitConverter.ToInt32(File.ReadAllBytes(oneHot), 8));
    }

    [Fact]
    public void ValuesSectionStartsAtTheFirstWeightedRowAndBackFillsOnes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.cwcache");
        using (var writer = new CacheWriter(path, 2, 1))
        {
            writer.Append([1, 2], [1f, 1f], 0);
            writer.Append([3, 4], default, 1);
            Assert.False(writer.HasValues);
            writer.Append([5, 6], [0.5f, 2f], 1);
            Assert.True(writer.HasValues);
            writer.Append([7, 8], default, 0);
            writer.Commit();
        }

        using CacheFile cache = CacheFile.Open(path);
        Assert.Equal([1f, 1f, 1f, 1f, 0.5f, 2f, 1f, 1f], Enumerable.Range(0, 4).SelectMany(r => cache.Values(r).ToArray()));
        Assert.Equal([0f, 1f, 1f, 0f], Enumerable.Range(0, 4).Select(r => cache.Label(r)));
    }

    [Fact]
    public void RandomShapesRoundTrip()
    {
        // A seeded sweep instead of a few hand-picked shapes: field counts 1..9, 0..200 rows, values on or off,
        // weighted rows starting anywhere (the values section is back-filled from that row).
        using var dir = new TempDirectory();
        var random = new Random(12);
        for (int trial = 0; trial < 40; trial++)
        {
            int fields = random.Next(1, 10);
            int rows = random.Next(0, 201);
            int firstWeighted = random.Next(0, rows + 2);
            int[] ids = Enumerable.Range(0, rows * fields).Select(_ => random.Next()).ToArray();
            float[] values = Enumerable.Range(0, rows * fields).Select(i => i / fields >= firstWeighted ? random.NextSingle() : 1f).ToArray();
            float[] labels = Enumerable.Range(0, rows).Select(_ => (float)random.Next(2)).ToArray();
            string path = dir.File($"r{trial}.cwcache");
            using (var writer = new CacheWriter(path, fields, (ulong)trial))
            {
                for (int row = 0; row < rows; row++)
                {
                    writer.Append(ids.AsSpan(row * fields, fields), values.AsSpan(row * fields, fields), labels[row]);
                }

                writer.Commit();
            }

            using CacheFile cache = CacheFile.Open(path, (ulong)trial);
            Assert.Equal((rows, fields, firstWeighted < rows), ((int)cache.RowCount, cache.FieldCount, cache.HasValues));
            for (int row = 0; row < rows; row++)
            {
                Assert.Equal(ids.AsSpan(row * fields, fields), cache.Ids(row));
                Assert.Equal(labels[row], cache.Label(row));
                if (cache.HasValues)
                {
                    Assert.Equal(values.AsSpan(row * fields, fields), cache.Values(row));
                }
            }
        }
    }

    [Fact]
    public void EmptyCacheRoundTrips()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.cwcache");
        Write(path, [], null, [], checksum: 5);
        using CacheFile cache = CacheFile.Open(path, 5);
        Assert.Equal(0, cache.RowCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Label(0));
    }

    [Fact]
    public void RejectsACacheOfAnotherFeatureMap()
    {
        using var dir = new TempDirectory();
        string path = WriteFiveRows(dir, checksum: 0x1111);
        var error = Assert.Throws<InvalidDataException>(() => CacheFile.Open(path, 0x2222));
        Assert.Contains("0000000000001111", error.Message);
        Assert.Contains("rebuild", error.Message);
    }

    [Theory]
    [InlineData(8, 3, "cache version 3, this build reads versions 1 and 2; rebuild the cache")]
    [InlineData(8, 2, "corrupt cache header")] // version 2 without extra features
    [InlineData(0, (byte)'X', "bad magic")]
    [InlineData(12, 9, "corrupt cache header")]
    public void RejectsABadHeader(int offset, byte value, string reason)
    {
        using var dir = new TempDirectory();
        string path = WriteFiveRows(dir, checksum: 1);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[offset] = value;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => CacheFile.Open(path));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void RejectsATruncatedCache()
    {
        using var dir = new TempDirectory();
        string path = WriteFiveRows(dir, checksum: 1);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var error = Assert.Throws<InvalidDataException>(() => CacheFile.Open(path));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void AnUncommittedWriterLeavesNoFileAndKeepsTheOldOne()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.cwcache");
        Write(path, [1, 2, 3], null, [1], checksum: 7);
        using (var writer = new CacheWriter(path, Fields, 8))
        {
            writer.Append([4, 5, 6], default, 0);
        }

        Assert.Equal(["c.cwcache"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        using CacheFile cache = CacheFile.Open(path, 7);
        Assert.Equal([1, 2, 3], cache.Ids(0));
    }

    private static string WriteFiveRows(TempDirectory dir, ulong checksum)
    {
        (int[] ids, _, float[] labels) = Rows(5, false);
        string path = dir.File("c.cwcache");
        Write(path, ids, null, labels, checksum);
        return path;
    }

    internal static (int[] Ids, float[] Values, float[] Labels) Rows(int count, bool withValues)
    {
        var random = new Random(count);
        int[] ids = Enumerable.Range(0, count * Fields).Select(_ => random.Next(1_000_000)).ToArray();
        float[] values = Enumerable.Range(0, count * Fields).Select(i => withValues ? (float)random.NextDouble() : 1f).ToArray();
        float[] labels = Enumerable.Range(0, count).Select(_ => (float)random.Next(2)).ToArray();
        return (ids, values, labels);
    }

    internal static void Write(string path, int[] ids, float[]? values, float[] labels, ulong checksum)
    {
        using var writer = new CacheWriter(path, Fields, checksum);
        for (int row = 0; row < labels.Length; row++)
        {
            writer.Append(ids.AsSpan(row * Fields, Fields), values is null ? default : values.AsSpan(row * Fields, Fields), labels[row]);
        }

        Assert.Equal(labels.Length, writer.Commit());
    }
}
