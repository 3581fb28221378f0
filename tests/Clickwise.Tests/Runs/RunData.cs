using Clickwise.Data;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Readers;
using Clickwise.Data.Synthetic;
using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Tests.Runs;

/// <summary>Synthetic Criteo files, fitted feature maps and small train requests for the run tests.</summary>
internal static class RunData
{
    public static readonly ReaderOptions Criteo = new() { Format = DataFormat.Criteo };

    public static SyntheticReport Synthesize(string path, long rows, ulong seed) =>
        SyntheticGenerator.Generate(new SyntheticOptions { Profile = "criteo", Rows = rows, Seed = seed, Threads = 2 }, path);

    /// <summary>The vocabulary of a Criteo text file (min count 2 so that small files keep real categories).</summary>
    public static FeatureMap FitMap(string path)
    {
        var config = DataConfig.Criteo with { MinCount = 2 };
        using IRecordReader reader = RecordReaders.Open(path, Criteo);
        var builder = new VocabularyBuilder(config.SpecsFor(reader.Schema));
        builder.Fit(reader);
        return builder.Build();
    }

    /// <summary>A model over <paramref name="layout"/> with every parameter uniform in ±0.3.</summary>
    public static CtrModel RandomModel(string name, FeatureLayout layout, int maxBatchSize, int seed = 1)
    {
        CtrModel model = ModelRegistry.Create(
            new ModelConfig { Name = name, EmbeddingDim = 6, HiddenUnits = [16, 8], Dropout = 0.2f, Seed = seed }, layout).Prepared(maxBatchSize);
        var random = new SeededRandom(seed + 100);
        foreach (Parameter p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.3);
        }

        return model;
    }

    /// <summary>A quick training request: embedding 8, DNN 64×64, batch 1024, Criteo preprocessing and optimiser.</summary>
    public static TrainRequest Request(string dataPath, string workDir, string model, int epochs, int seed = 1) => new()
    {
        Data = new DataSource { Path = dataPath, Reader = Criteo },
        Preprocessing = DataConfig.Criteo with { Seed = seed },
        Model = ModelPresets.Criteo(model) with { EmbeddingDim = 8, HiddenUnits = [64, 64], Seed = seed },
        Training = TrainingConfig.Criteo with { Epochs = epochs, BatchSize = 1024, Seed = seed },
        WorkDir = workDir,
        ModelPath = Path.Combine(workDir, model + ".cwm"),
    };
}
