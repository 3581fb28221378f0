using Clickwise.Runs;

namespace Clickwise.Tests.Configs;

/// <summary>Every committed experiment config loads, resolves and carries the settings its comment promises.</summary>
public sealed class ConfigFilesTests
{
    public static TheoryData<string> ConfigFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(ConfigsDirectory(), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ConfigFiles))]
    public void ConfigLoadsAndValidates(string file)
    {
        RunConfig config = RunConfig.Load(Path.Combine(ConfigsDirectory(), file));
        config.ResolvedPreprocessing.Validate();
        config.ResolvedTraining.Validate();
        Assert.Contains(config.ResolvedModel.Name, Clickwise.Models.ModelRegistry.Names);
    }

    [Fact]
    public void CriteoConfigMatchesThePaperSettings()
    {
        RunConfig config = RunConfig.Load(Path.Combine(ConfigsDirectory(), "criteo-deepfwfm.json"));
        Assert.Equal(8, config.ResolvedPreprocessing.MinCount);
        Assert.Equal([400, 400, 400], config.ResolvedModel.HiddenUnits);
        Assert.Equal(10, config.ResolvedModel.EmbeddingDim);
        Assert.Equal(3e-7, config.ResolvedTraining.L2Net);
        Assert.Equal(2048, config.ResolvedTraining.BatchSize);
    }

    [Fact]
    public void UnknownKeyIsAnError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cw-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "preset": "criteo", "training": { "epoch": 3 } }""");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => RunConfig.Load(path));
            Assert.Contains("epoch", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ASectionOverridesOnlyTheKeysItNames()
    {
        RunConfig config = Written(".json", """
            { "preset": "criteo",
              "preprocessing": { "split": { "train": 0.8, "valid": 0.1, "test": 0.1 } },
              "training": { "epochs": 1 },
              "model": { "name": "wdl-fm", "hidden_units": [64, 32] } }
            """);
        RunConfig preset = new();
        Assert.Equal(preset.ResolvedPreprocessing.MinCount, config.ResolvedPreprocessing.MinCount); // 8, not the record's 1
        Assert.Equal(0.8, config.ResolvedPreprocessing.Split.Train);
        Assert.Equal(1, config.ResolvedTraining.Epochs);
        Assert.Equal(preset.ResolvedTraining.L2Net, config.ResolvedTraining.L2Net);             // 3e-7, not 0
        Assert.Equal(preset.ResolvedTraining.BatchSize, config.ResolvedTraining.BatchSize);
        Assert.Equal(11, config.ResolvedModel.EmbeddingDim);                                     // the preset's wdl-fm row
        Assert.Equal([64, 32], config.ResolvedModel.HiddenUnits);
    }

    [Fact]
    public void YamlConfigsReadAsTheirJsonTwin()
    {
        RunConfig yaml = Written(".yaml", """
            preset: criteo
            training:
              epochs: 2
              patience: 1
            model:
              name: dcnv2
              cross_rank: 2
            """);
        Assert.Equal((2, 1), (yaml.ResolvedTraining.Epochs, yaml.ResolvedTraining.Patience));
        Assert.Equal(2, yaml.ResolvedModel.OptionsOf<Clickwise.Models.DcnV2Options>().CrossRank);
        Assert.Equal(new RunConfig().ResolvedPreprocessing.MinCount, yaml.ResolvedPreprocessing.MinCount);
    }

    [Fact]
    public void CompareTakesFromTheModelSectionWhatEachModelHas()
    {
        RunConfig config = Written(".json", """{ "model": { "name": "dcn", "cross_layers": 2, "embedding_dim": 6 } }""");
        Assert.Equal(2, config.ModelFor("gdcn").OptionsOf<Clickwise.Models.CrossOptions>().CrossLayers);
        Assert.Equal(6, config.ModelFor("fm").EmbeddingDim); // fm has no cross layers: that key is left out for it
        var typo = Assert.Throws<InvalidDataException>(() => Written(".json", """{ "model": { "name": "dcn", "cross_layer": 2 } }"""));
        Assert.Contains("model 'dcn' has no setting 'cross_layer'", typo.Message);
    }

    private static RunConfig Written(string extension, string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"cw-config-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, text);
        try
        {
            return RunConfig.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static string ConfigsDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "configs");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Clickwise.slnx")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("configs/ not found above " + AppContext.BaseDirectory);
    }
}
