using Clickwise.Data;
using Clickwise.Data.Cache;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Readers;
using Clickwise.Features;
using Clickwise.Tests.Data;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Features;

/// <summary>A libffm row naming a field three times: every feature gets a vocabulary id, the first one and the others pooled.</summary>
public sealed class MultiHotEncodingTests
{
    // Field 0 holds "5" (value 1), "6" (0.25) and "5" (1) again; field 1 holds "9" (0.5). Row 2 is one-hot.
    private const string Text = "1 0:5:1 1:9:0.5 0:6:0.25 0:5:1\n0 1:8:1\n";
    private static readonly ReaderOptions Libffm = new() { Format = DataFormat.Libffm, FieldCount = 2 };

    [Theory]
    [InlineData(Pooling.Sum, 1f, 0.25f, 1f)]
    [InlineData(Pooling.Mean, 1f / 3, 0.25f / 3, 1f / 3)]
    public void EveryFeatureIsCountedAndEncodedAndMeanDividesByTheFieldsCount(Pooling pooling, float first, float second, float third)
    {
        var builder = new VocabularyBuilder(new DataConfig().SpecsFor(LibsvmSchema()));
        using (IRecordReader reader = ReaderTestKit.Open(Text, Libffm))
        {
            builder.Fit(reader);
        }

        // "5" twice then "6": ids 2 and 3 of field 0, whose 4 rows put field 1 ("8", "9" once each, by bytes) at 4 + 2, 4 + 3.
        FeatureMap map = builder.Build().WithPooling(pooling);
        Assert.Equal(4, map.Fields[0].Size);
        using IRecordReader rows = ReaderTestKit.Open(Text, Libffm);
        var record = new RawRecord(2);
        Assert.True(rows.Read(record));
        int[] ids = new int[2];
        float[] values = new float[2];
        var extras = new ExtraFeatures(2);
        Assert.True(map.CreateEncoder().Encode(record, ids, values, extras));
        Assert.Equal([2, 7], ids);
        Assert.Equal([first, 0.5f], values);
        Assert.Equal([0, 2, 2], extras.InUse.Offsets);
        Assert.Equal([3, 2], extras.InUse.Ids);
        Assert.Equal([second, third], extras.InUse.Values);

        Assert.True(rows.Read(record));
        extras.Clear();
        Assert.False(map.CreateEncoder().Encode(record, ids, values, extras));
        Assert.Equal([1, 6], ids); // field 0 missing
        Assert.True(extras.InUse.IsEmpty);
        Assert.Throws<ArgumentException>(() => map.CreateEncoder().Encode(MultiHotRecord(), ids, values));
    }

    [Fact]
    public void MeanPoolingIsSavedInTheFeatureMapAndSumIsNotWritten()
    {
        var builder = new VocabularyBuilder(new DataConfig().SpecsFor(LibsvmSchema()));
        FeatureMap sum = builder.Build();
        Assert.DoesNotContain("pooling", sum.ToJson(), StringComparison.Ordinal);
        FeatureMap mean = FeatureMap.FromJson(sum.WithPooling(Pooling.Mean).ToJson());
        Assert.Equal(Pooling.Mean, mean.Pooling);
        Assert.NotEqual(sum.Checksum, mean.Checksum);
    }

    [Fact]
    public void APreparedCacheKeepsTheExtraFeatures()
    {
        using var dir = new TempDirectory();
        var config = new DataConfig { Split = new SplitRatios(1, 0, 0), Pooling = Pooling.Mean };
        using PreparedDataset data = DatasetBuilder.Build(() => ReaderTestKit.Open(Text, Libffm), config, dir.Path);
        Assert.Equal(Pooling.Mean, data.Map.Pooling);
        Assert.True(data.Cache.HasExtras);
        var batch = new Batch(2, 2);
        data.Cache.CopyRows([1, 0], batch);
        Assert.Equal([1, 6, 2, 7], batch.IdsInUse);
        Assert.Equal([0, 0, 0, 2, 2], batch.ExtrasInUse.Offsets);
        Assert.Equal([3, 2], batch.ExtrasInUse.Ids);
        Assert.Equal([0.25f / 3, 1f / 3], batch.ExtrasInUse.Values);
        Assert.Equal([1f, 1f, 1f / 3, 0.5f], batch.ValuesInUse);
    }

    private static DataSchema LibsvmSchema()
    {
        using IRecordReader reader = ReaderTestKit.Open(Text, Libffm);
        return reader.Schema;
    }

    private static RawRecord MultiHotRecord()
    {
        using IRecordReader reader = ReaderTestKit.Open(Text, Libffm);
        var record = new RawRecord(2);
        reader.Read(record);
        return record;
    }
}
