using System.Text;
using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Features;

public sealed class VocabularyBuilderTests
{
    private static readonly FeatureSpec[] s_specs = [new("C1", FieldKind.Categorical, MinCount: 2), new("I1", FieldKind.Numeric, MinCount: 2)];

    [Fact]
    public void KeepsTokensAtMinCountOrderedByCountThenBytes()
    {
        FeatureMap map = Fit(VocabularyTestData.Rows);

        Assert.Equal(["a", "b", "c"], map.Fields[0].Tokens.Select(Encoding.UTF8.GetString));
        Assert.Equal(["3", "-1", "2"], map.Fields[1].Tokens.Select(Encoding.UTF8.GetString));
        Assert.Equal([5, 5], map.Layout.Sizes);
        Assert.Equal([0, 5], map.Layout.Offsets);
    }

    [Fact]
    public void EncodesKeptRareAndMissingValuesToTheirIds()
    {
        using MemoryRecordReader reader = VocabularyTestData.Reader();
        var rows = VocabularyTestData.EncodeAll(Fit(VocabularyTestData.Rows), reader);
        Assert.Equal(VocabularyTestData.ExpectedIds, rows.Select(r => r.Ids));
        Assert.All(rows, r => Assert.Equal([1f, 1f], r.Values));
        Assert.DoesNotContain(rows, r => r.Weighted);
    }

    [Fact]
    public void MinCountOneKeepsEveryToken()
    {
        var builder = new VocabularyBuilder([new("C1", FieldKind.Categorical), new("I1", FieldKind.Numeric)]);
        using (MemoryRecordReader reader = VocabularyTestData.Reader())
        {
            Assert.Equal(10, builder.Fit(reader));
        }

        FeatureMap map = builder.Build();
        Assert.Equal(["a", "b", "c", "d"], map.Fields[0].Tokens.Select(Encoding.UTF8.GetString));
        Assert.Equal(["3", "-1", "2", "0", "21"], map.Fields[1].Tokens.Select(Encoding.UTF8.GetString));
        Assert.Equal(4, builder.DistinctTokens(0));
    }

    [Fact]
    public void MapDoesNotDependOnRowOrder()
    {
        var shuffled = VocabularyTestData.Rows.ToArray();
        new Random(5).Shuffle(shuffled);
        Assert.Equal(Fit(VocabularyTestData.Rows).ToJson(), Fit(shuffled).ToJson());
        Assert.Equal(Fit(VocabularyTestData.Rows).Checksum, Fit(shuffled).Checksum);
    }

    [Fact]
    public void HashedFieldUsesBucketsAndKeepsNoTokens()
    {
        const uint Seed = 17;
        var builder = new VocabularyBuilder([new("C1", FieldKind.Categorical, HashBuckets: 7), new("I1", FieldKind.Numeric, Transform: NumericTransform.None)], Seed);
        using (MemoryRecordReader reader = VocabularyTestData.Reader())
        {
            builder.Fit(reader);
        }

        FeatureMap map = builder.Build();
        Assert.Empty(map.Fields[0].Tokens);
        Assert.Equal(9, map.Fields[0].Size);

        // Without the transform the numeric field's raw text is the token: 7, 6, 5, -1, 0, 100 are six categories.
        Assert.Equal(["-1", "5", "7", "0", "100", "6"], map.Fields[1].Tokens.Select(Encoding.UTF8.GetString));

        using MemoryRecordReader again = VocabularyTestData.Reader();
        var rows = VocabularyTestData.EncodeAll(map, again);
        for (int row = 0; row < rows.Count; row++)
        {
            string? token = VocabularyTestData.Rows[row].Fields[0];
            int expected = token is null ? FeatureMap.MissingId : 2 + (int)(MurmurHash3.Hash64(Encoding.UTF8.GetBytes(token), Seed) % 7);
            Assert.Equal(expected, rows[row].Ids[0]);
        }
    }

    [Fact]
    public void RejectsReaderWhoseFieldsDifferFromTheSpecs()
    {
        var builder = new VocabularyBuilder([new("C1", FieldKind.Categorical), new("I2", FieldKind.Numeric)]);
        using MemoryRecordReader reader = VocabularyTestData.Reader();
        var error = Assert.Throws<ArgumentException>(() => builder.Fit(reader));
        Assert.Contains("'I1' in the data but 'I2'", error.Message);
    }

    [Fact]
    public void SecondPassOverKnownTokensAllocatesNothingPerRow()
    {
        // Memory grows with distinct tokens only: once every token is counted, more rows cost no allocation.
        var reader = new SyntheticRecordReader(rows: 100_000, numericFields: 3, categoricalFields: 10, cardinality: 500);
        FeatureSpec[] specs = FeatureSpecs.FromSchema(reader.Schema, minCount: 3);
        var builder = new VocabularyBuilder(specs);
        builder.Fit(reader);
        var again = new SyntheticRecordReader(rows: 100_000, numericFields: 3, categoricalFields: 10, cardinality: 500);
        long before = GC.GetAllocatedBytesForCurrentThread();
        builder.Fit(again);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(200_000, builder.Rows);
        Assert.True(allocated < 16_384, $"second pass allocated {allocated} bytes for 100k rows");
    }

    private static FeatureMap Fit(IReadOnlyList<(float Label, string?[] Fields)> rows)
    {
        var builder = new VocabularyBuilder(s_specs);
        using MemoryRecordReader reader = VocabularyTestData.Reader(rows);
        builder.Fit(reader);
        return builder.Build();
    }
}
