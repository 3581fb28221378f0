using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Features;

public sealed class FeatureMapTests
{
    [Fact]
    public void JsonRoundTripKeepsEverything()
    {
        FeatureMap map = Fitted(hashSeed: 99);
        FeatureMap back = FeatureMap.FromJson(map.ToJson());

        Assert.Equal(map.ToJson(), back.ToJson());
        Assert.Equal(map.Checksum, back.Checksum);
        Assert.Equal(99u, back.HashSeed);
        Assert.Equal(map.Layout.Sizes, back.Layout.Sizes);
        Assert.Equal(map.Layout.Offsets, back.Layout.Offsets);
        for (int f = 0; f < map.FieldCount; f++)
        {
            Assert.Equal(map.Fields[f].Spec, back.Fields[f].Spec);
            Assert.Equal(map.Fields[f].Tokens, back.Fields[f].Tokens);
        }

        Assert.Equal(EncodeAll(map), EncodeAll(back));
    }

    [Fact]
    public void JsonNamesTheContractFields()
    {
        string json = Fitted(hashSeed: 0).ToJson();
        foreach (string key in new[] { "\"version\": 1", "\"oov_id\": 0", "\"missing_id\": 1", "\"name\": \"I1\"", "\"kind\": \"numeric\"",
            "\"size\": 5", "\"offset\": 5", "\"min_count\": 2", "\"hash_buckets\": 0", "\"numeric_transform\": \"log_square\"" })
        {
            Assert.Contains(key, json);
        }
    }

    [Fact]
    public void SaveAndLoadThroughAFile()
    {
        using var dir = new TempDirectory();
        FeatureMap map = Fitted(hashSeed: 3);
        map.Save(dir.File("map.json"));
        Assert.Equal(map.Checksum, FeatureMap.Load(dir.File("map.json")).Checksum);
        Assert.Equal(["map.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("\"version\": 1", "\"version\": 2", "version 2 is not supported")]
    [InlineData("\"oov_id\": 0,", "\"oov_id\": 0, \"extra\": true,", "unknown key 'extra'")]
    [InlineData("\"size\": 5", "\"size\": 6", "size 6 does not match")]
    [InlineData("\"kind\": \"numeric\"", "\"kind\": \"float\"", "unknown field kind 'float'")]
    [InlineData("\"min_count\": 2", "\"min_count\": 0", "min count must be at least 1")]
    [InlineData("\"offset\": 5", "\"offset\": 4", "offsets or total rows")]
    public void FromJsonRejectsBadMapsWithAReason(string from, string to, string reason)
    {
        string json = Fitted(hashSeed: 0).ToJson();
        Assert.Contains(from, json);
        var error = Assert.Throws<FormatException>(() => FeatureMap.FromJson(ReplaceLast(json, from, to)));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void NonUtf8TokensRoundTripAsBase64()
    {
        byte[][] tokens = [[0xFF, 0x00, 0x41], "ok"u8.ToArray()];
        var map = new FeatureMap([new FeatureField(new FeatureSpec("raw", FieldKind.Categorical), tokens)], 0);
        string json = map.ToJson();
        Assert.Contains("\"token_encoding\": \"base64\"", json);
        Assert.Equal(tokens, FeatureMap.FromJson(json).Fields[0].Tokens);
    }

    [Fact]
    public void EncoderSendsUnseenTokensToOovAndMissingToMissing()
    {
        FeatureMap map = Fitted(hashSeed: 0);
        FeatureEncoder encoder = map.CreateEncoder();
        using var reader = new MemoryRecordReader(VocabularyTestData.Schema, [(0, ["zzz", "1e6"]), (1, [null, null]), (0, ["b", "3"])]);
        var record = new RawRecord(2);
        int[] ids = new int[2];
        float[] values = new float[2];

        Assert.True(reader.Read(record));
        encoder.Encode(record, ids, values);
        Assert.Equal([FeatureMap.OovId, 5 + FeatureMap.OovId], ids); // ln(1e6)² = 190: a bucket never seen
        Assert.True(reader.Read(record));
        encoder.Encode(record, ids, values);
        Assert.Equal([FeatureMap.MissingId, 5 + FeatureMap.MissingId], ids);
        Assert.True(reader.Read(record));
        encoder.Encode(record, ids, values);
        Assert.Equal([3, 5 + FeatureMap.OovId], ids); // 3 → bucket "1", never seen
    }

    [Fact]
    public void EncoderCarriesValuesAndReportsWeightedRows()
    {
        FeatureMap map = Fitted(hashSeed: 0);
        var record = new RawRecord(2);
        byte[] a = "a"u8.ToArray();
        record.SetToken(0, a, 0, 1, value: 0.25f);
        record.SetMissing(1);
        int[] ids = new int[2];
        float[] values = new float[2];
        Assert.True(map.CreateEncoder().Encode(record, ids, values));
        Assert.Equal([2, 6], ids);
        Assert.Equal([0.25f, 1f], values);
    }

    [Fact]
    public void EncodingAMillionRowsDoesNotAllocatePerRow()
    {
        // 10 fields keep the test quick; the per-row path is the same as with Criteo's 39.
        var fit = new SyntheticRecordReader(rows: 50_000, numericFields: 2, categoricalFields: 8, cardinality: 20_000);
        var builder = new VocabularyBuilder(FeatureSpecs.FromSchema(fit.Schema, minCount: 2));
        builder.Fit(fit);
        FeatureEncoder encoder = builder.Build().CreateEncoder();

        var reader = new SyntheticRecordReader(rows: 1_000_000, numericFields: 2, categoricalFields: 8, cardinality: 20_000, seed: 2);
        var record = new RawRecord(10);
        int[] ids = new int[10];
        float[] values = new float[10];
        long checksum = 0;
        // The first rows build the lookup tables and let the JIT settle (tier-up and on-stack replacement of this loop can
        // allocate on this thread on a loaded machine); the rest is measured.
        for (int warm = 0; warm < 200_000 && reader.Read(record); warm++)
        {
            encoder.Encode(record, ids, values);
            checksum += ids[5];
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        while (reader.Read(record))
        {
            encoder.Encode(record, ids, values);
            checksum += ids[5];
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(checksum > 0);
        Assert.True(allocated < 4096, $"encoding 800k rows allocated {allocated} bytes");
    }

    internal static FeatureMap Fitted(uint hashSeed)
    {
        var builder = new VocabularyBuilder([new("C1", FieldKind.Categorical, MinCount: 2), new("I1", FieldKind.Numeric, MinCount: 2)], hashSeed);
        using MemoryRecordReader reader = VocabularyTestData.Reader();
        builder.Fit(reader);
        return builder.Build();
    }

    private static int[] EncodeAll(FeatureMap map)
    {
        using MemoryRecordReader reader = VocabularyTestData.Reader();
        return VocabularyTestData.EncodeAll(map, reader).SelectMany(r => r.Ids).ToArray();
    }

    private static string ReplaceLast(string text, string from, string to)
    {
        int at = text.LastIndexOf(from, StringComparison.Ordinal);
        return text[..at] + to + text[(at + from.Length)..];
    }
}
