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
