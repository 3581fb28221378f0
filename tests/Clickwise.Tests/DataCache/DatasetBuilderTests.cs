using Clickwise.Data;
using Clickwise.Data.Cache;
using Clickwise.Data.Pipeline;
using Clickwise.Features;
using Clickwise.Tests.Features;

namespace Clickwise.Tests.DataCache;

public sealed class DatasetBuilderTests
{
    [Fact]
    public void BuildFitsOnTheTrainingRowsEncodesAndSplits()
    {
        using var dir = new TempDirectory();
        int opened = 0;
        var config = new DataConfig { MinCount = 2, SplitMode = SplitMode.Sequential, Split = new SplitRatios(0.6, 0.2, 0.2) };
        using PreparedDataset data = DatasetBuilder.Build(
            () =>
            {
                opened++;
                return VocabularyTestData.Reader();
            },
            config,
            dir.Path);

        Assert.Equal(4, opened); // schema probe, row count (sequential split), pass 1, pass 2
        Assert.Equal(10, data.Rows);
        Assert.Equal([6L, 2L, 2L], [data.Train.RowCount, data.Valid.RowCount, data.Test.RowCount]);
        Assert.Equal(10, data.Stats.RowsParsed);
        Assert.Equal(FeatureMap.Load(data.FeatureMapPath).Checksum, data.Map.Checksum);

        // The vocabulary is the one of the six training rows alone: c (twice in all, once in train) is OOV.
        FeatureMap trainOnly = Fit(config, VocabularyTestData.Rows[..6]);
        Assert.Equal(trainOnly.Checksum, data.Map.Checksum);
        Assert.DoesNotContain(data.Map.Fields[0].Tokens, token => token.AsSpan().SequenceEqual("c"u8));
        var expected = VocabularyTestData.EncodeAll(trainOnly, VocabularyTestData.Reader());
        for (int row = 0; row < 10; row++)
        {
            Assert.Equal(expected[row].Ids, data.Cache.Ids(row));
            Assert.Equal(VocabularyTestData.Rows[row].Label, data.Cache.Label(row));
        }

        Assert.Equal(FeatureMap.OovId, data.Cache.Ids(8)[0]); // c, in the test part
        Batch test = Assert.Single(data.Test.Batches(100, shuffle: false, seed: 0));
        Assert.Equal([.. expected[8].Ids, .. expected[9].Ids], test.IdsInUse);
    }

    [Fact]
    public void ARandomSplitFitsOnItsTrainingRowsOnly()
    {
        using var dir = new TempDirectory();
        var config = new DataConfig { MinCount = 1, Split = new SplitRatios(0.5, 0.25, 0.25), Seed = 11 };
        // Each row its own category: the vocabulary must hold exactly the training rows' categories.
        var rows = Enumerable.Range(0, 200).Select(i => (Label: (float)(i % 2), Fields: new string?[] { $"k{i}", "1" })).ToArray();
        using PreparedDataset data = DatasetBuilder.Build(() => VocabularyTestData.Reader(rows), config, dir.Path);

        var vocabulary = data.Map.Fields[0].Tokens.Select(t => System.Text.Encoding.UTF8.GetString(t)).ToHashSet();
        Assert.Equal(data.Train.RowCount, vocabulary.Count);
        for (int row = 0; row < rows.Length; row++)
        {
            bool train = data.Split.PartOf(row) == SplitPart.Train;
            Assert.Equal(train, vocabulary.Contains($"k{row}"));
            Assert.Equal(train, data.Cache.Ids(row)[0] != FeatureMap.OovId);
        }
    }

    [Fact]
    public void ValidAndTestFilesAreEncodedWithTheTrainingVocabulary()
    {
        using var dir = new TempDirectory();
        var config = new DataConfig { MinCount = 1, Split = new SplitRatios(0.8, 0.1, 0.1) };
        (float, string?[])[] valid = [(1, ["only-in-valid", "7"]), (0, ["a", "7"])];
        (float, string?[])[] test1 = [(1, ["only-in-test", "7"])];
        (float, string?[])[] test2 = [(0, ["b", "12345"]), (1, ["a", null]), (0, ["only-in-test", "5"])];
        var heldOut = new HeldOutFiles
        {
            Valid = new HeldOutFile("valid.tsv", () => VocabularyTestData.Reader(valid)),
            Tests = [new HeldOutFile("t1.tsv", () => VocabularyTestData.Reader(test1)), new HeldOutFile("t2.tsv", () => VocabularyTestData.Reader(test2))],
        };
        using (PreparedDataset data = DatasetBuilder.Build(VocabularyTestData.Reader, config, dir.Path, heldOut))
        {
            // The training file trains whole: its split's valid and test shares are given as files.
            Assert.Equal([10L, 2L], [data.Train.RowCount, data.Valid.RowCount]);
            Assert.True(data.ValidFromFile);
            Assert.Equal(["t1.tsv", "t2.tsv"], data.Tests.Select(t => t.File));
            Assert.Equal([1L, 3L], data.Tests.Select(t => t.Rows.RowCount));
            Assert.Equal(Fit(config, VocabularyTestData.Rows).Checksum, data.Map.Checksum);
            string[] tokens = [.. data.Map.Fields[0].Tokens.Select(t => System.Text.Encoding.UTF8.GetString(t))];
            Assert.DoesNotContain("only-in-valid", tokens);
            Assert.DoesNotContain("only-in-test", tokens);

            Batch v = Assert.Single(data.Valid.Batches(100, shuffle: false, seed: 0));
            Assert.Equal(FeatureMap.OovId, v.IdsInUse[0]);
            Assert.NotEqual(FeatureMap.OovId, v.IdsInUse[2]);
            Batch t2 = Assert.Single(data.Tests[1].Rows.Batches(100, shuffle: false, seed: 0));
            Assert.Equal(FeatureMap.OovId, t2.IdsInUse[4]);
            Assert.Equal(data.Map.Layout.Offsets[1] + FeatureMap.OovId, t2.IdsInUse[1]); // a numeric bucket training never saw
        }

        using PreparedDataset reopened = DatasetBuilder.Open(dir.Path, config);
        Assert.Equal(["t1.tsv", "t2.tsv"], reopened.Tests.Select(t => t.File));
        Assert.Equal([10L, 2L], [reopened.Train.RowCount, reopened.Valid.RowCount]);
    }

    [Fact]
    public void OpenRefusesACacheOfTheOlderProtocolOrAnotherSplit()
    {
        using var dir = new TempDirectory();
        var config = new DataConfig { MinCount = 2 };
        using (DatasetBuilder.Build(VocabularyTestData.Reader, config, dir.Path))
        {
        }

        var otherSeed = Assert.Throws<InvalidDataException>(() => DatasetBuilder.Open(dir.Path, config with { Seed = 5 }));
        Assert.Contains("rebuild", otherSeed.Message);
        File.Delete(dir.File("prepared.json")); // as a cache written before fitting on training rows only
        var old = Assert.Throws<InvalidDataException>(() => DatasetBuilder.Open(dir.Path, config));
        Assert.Contains("older version", old.Message);
    }

    private static FeatureMap Fit(DataConfig config, IReadOnlyList<(float Label, string?[] Fields)> rows)
    {
        var builder = new VocabularyBuilder(config.SpecsFor(VocabularyTestData.Schema), config.HashSeed);
        builder.Fit(VocabularyTestData.Reader(rows));
        return builder.Build();
    }

    [Fact]
    public void OpenReusesTheCacheWithoutParsing()
    {
        using var dir = new TempDirectory();
        var config = new DataConfig { MinCount = 2 };
        ulong checksum;
        long trainRows;
        int[] ids;
        using (PreparedDataset built = DatasetBuilder.Build(VocabularyTestData.Reader, config, dir.Path))
        {
            checksum = built.Map.Checksum;
            trainRows = built.Train.RowCount;
            ids = built.Cache.Ids(3).ToArray();
        }

        using PreparedDataset reopened = DatasetBuilder.Open(dir.Path, config);
        Assert.Equal(checksum, reopened.Map.Checksum);
        Assert.Equal(trainRows, reopened.Train.RowCount);
        Assert.Equal(ids, reopened.Cache.Ids(3));
    }

    [Fact]
    public void EncodeNewRowsWithAnExistingMap()
    {
        using var dir = new TempDirectory();
        FeatureMap map = FeatureMapTests.Fitted(hashSeed: 0);
        using EncodedDataset encoded = DatasetBuilder.Encode(
            () => new MemoryRecordReader(VocabularyTestData.Schema, [(1, ["new", "7"]), (0, ["b", null])]),
            map,
            dir.File("eval.cwcache"));

        Assert.Equal(2, encoded.Rows.RowCount);
        Assert.Equal([FeatureMap.OovId, 5 + 2], encoded.Cache.Ids(0));
        Assert.Equal([3, 5 + FeatureMap.MissingId], encoded.Cache.Ids(1));
        Assert.Equal(map.Checksum, encoded.Cache.FeatureMapChecksum);
    }

    [Fact]
    public void BuildRejectsInputThatChangesBetweenPasses()
    {
        using var dir = new TempDirectory();
        int opened = 0;
        var error = Assert.Throws<InvalidDataException>(() => DatasetBuilder.Build(
            () => VocabularyTestData.Reader(VocabularyTestData.Rows[..(++opened < 3 ? 10 : 9)]),
            new DataConfig(),
            dir.Path));
        Assert.Contains("10 rows in pass 1 but 9 in pass 2", error.Message);
    }

    [Fact]
    public void PerFieldOverridesReachTheSpecs()
    {
        var config = new DataConfig
        {
            MinCount = 8,
            Fields = new Dictionary<string, FieldOptions> { ["C1"] = new() { HashBuckets = 100 }, ["I1"] = new() { NumericTransform = NumericTransform.None, MinCount = 2 } },
        };
        FeatureSpec[] specs = config.SpecsFor(VocabularyTestData.Schema);
        Assert.Equal(new FeatureSpec("C1", FieldKind.Categorical, 8, 100, NumericTransform.LogSquare), specs[0]);
        Assert.Equal(new FeatureSpec("I1", FieldKind.Numeric, 2, 0, NumericTransform.None), specs[1]);

        var typo = config with { Fields = new Dictionary<string, FieldOptions> { ["C9"] = new() } };
        Assert.Contains("'C9'", Assert.Throws<ArgumentException>(() => typo.SpecsFor(VocabularyTestData.Schema)).Message);
    }
}
