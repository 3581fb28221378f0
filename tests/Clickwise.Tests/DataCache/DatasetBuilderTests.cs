using Clickwise.Data;
using Clickwise.Data.Cache;
using Clickwise.Data.Pipeline;
using Clickwise.Features;
using Clickwise.Tests.Features;

namespace Clickwise.Tests.DataCache;

public sealed class DatasetBuilderTests
{
    [Fact]
    public void BuildFitsEncodesAndSplits()
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

        Assert.Equal(3, opened); // schema probe, pass 1, pass 2
        Assert.Equal(10, data.Rows);
        Assert.Equal([6L, 2L, 2L], [data.Train.RowCount, data.Valid.RowCount, data.Test.RowCount]);
        Assert.Equal(10, data.Stats.RowsParsed);
        Assert.Equal(FeatureMap.Load(data.FeatureMapPath).Checksum, data.Map.Checksum);
        for (int row = 0; row < 10; row++)
        {
            Assert.Equal(VocabularyTestData.ExpectedIds[row], data.Cache.Ids(row));
            Assert.Equal(VocabularyTestData.Rows[row].Label, data.Cache.Label(row));
        }

        Batch test = Assert.Single(data.Test.Batches(100, shuffle: false, seed: 0));
        Assert.Equal([.. VocabularyTestData.ExpectedIds[8], .. VocabularyTestData.ExpectedIds[9]], test.IdsInUse);
    }

    [Fact]
    public void OpenReusesTheCacheWithoutParsing()
    {
        using var dir = new TempDirectory();
        var config = new DataConfig { MinCount = 2 };
        ulong checksum;
        long trainRows;
        using (PreparedDataset built = DatasetBuilder.Build(VocabularyTestData.Reader, config, dir.Path))
        {
            checksum = built.Map.Checksum;
            trainRows = built.Train.RowCount;
        }

        using PreparedDataset reopened = DatasetBuilder.Open(dir.Path, config);
        Assert.Equal(checksum, reopened.Map.Checksum);
        Assert.Equal(trainRows, reopened.Train.RowCount);
        Assert.Equal(VocabularyTestData.ExpectedIds[3], reopened.Cache.Ids(3));
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
