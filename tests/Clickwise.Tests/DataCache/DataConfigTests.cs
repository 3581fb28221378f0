using Clickwise.Data.Cache;
using Clickwise.Data.Pipeline;
using Clickwise.Features;

namespace Clickwise.Tests.DataCache;

public sealed class DataConfigTests
{
    [Fact]
    public void JsonRoundTripsAndRejectsUnknownKeys()
    {
        const string Json = """
            { "min_count": 8, "split": { "train": 0.7, "valid": 0.1, "test": 0.2 }, "split_mode": "sequential",
              "numeric_transform": "none", "seed": 5, "fields": { "C1": { "hash_buckets": 1000 } } }
            """;
        AssertParsed(DataConfig.FromJson(Json));
        DataConfig config = DataConfig.FromJson(Json);
        Assert.Equal(config.ToJson(), DataConfig.FromJson(config.ToJson()).ToJson());

        Assert.Contains("min_cont", Assert.Throws<FormatException>(() => DataConfig.FromJson("""{ "min_cont": 8 }""")).Message);
        Assert.Contains("sum to 1", Assert.Throws<ArgumentException>(() => DataConfig.FromJson("""{ "split": { "train": 0.5, "valid": 0.1, "test": 0.1 } }""")).Message);
        Assert.Throws<FormatException>(() => DataConfig.FromJson("""{ "split_mode": 1 }"""));
        Assert.Throws<FormatException>(() => DataConfig.FromJson("""{ "split_mode": "shuffled" }"""));
    }

    [Fact]
    public void YamlReadsTheSameKeys()
    {
        const string Yaml = """
            min_count: 8
            split: {train: 0.7, valid: 0.1, test: 0.2}
            split_mode: sequential
            numeric_transform: none
            seed: 5
            fields:
              C1:
                hash_buckets: 1000
            """;
        AssertParsed(DataConfig.FromYaml(Yaml));

        Assert.Contains("spilt", Assert.Throws<FormatException>(() => DataConfig.FromYaml("spilt: {train: 1}")).Message);
        Assert.Throws<FormatException>(() => DataConfig.FromYaml("min_count: '8'")); // quoted: a string, not a number
        Assert.Equal("invalid YAML at line 2: Duplicate key seed", Assert.Throws<FormatException>(() => DataConfig.FromYaml("seed: 1\nseed: 2")).Message);
    }

    [Fact]
    public void LoadPicksTheSyntaxByExtensionAndNamesTheFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.yml"), "min_count: 3\n");
        File.WriteAllText(dir.File("b.json"), """{ "min_count": 0 }""");
        Assert.Equal(3, DataConfig.Load(dir.File("a.yml")).MinCount);
        var error = Assert.Throws<FormatException>(() => DataConfig.Load(dir.File("b.json")));
        Assert.Contains("b.json", error.Message);
        Assert.Contains("min count must be at least 1", error.Message);
    }

    [Fact]
    public void PresetsFollowTheSeeds()
    {
        Assert.Equal(8, DataConfig.Criteo.MinCount);
        Assert.Equal(new SplitRatios(0.81, 0.09, 0.1), DataConfig.Criteo.Split); // 90/10, a tenth of train for validation
        Assert.Equal(5, DataConfig.Avazu.MinCount);
        Assert.Equal(0.2, DataConfig.Avazu.Split.Test);
    }

    private static void AssertParsed(DataConfig config)
    {
        Assert.Equal(8, config.MinCount);
        Assert.Equal(new SplitRatios(0.7, 0.1, 0.2), config.Split);
        Assert.Equal(SplitMode.Sequential, config.SplitMode);
        Assert.Equal(NumericTransform.None, config.NumericTransform);
        Assert.Equal(5, config.Seed);
        Assert.Equal(1000, config.Fields["C1"].HashBuckets);
        Assert.Null(config.Fields["C1"].MinCount);
    }
}
