using Clickwise.Data;
using Clickwise.Data.Readers;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.IO;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Runs;

/// <summary>A model file holds everything prediction needs: save → load → compile gives the live model's logits bit for bit.</summary>
public sealed class ModelArtifactTests : IClassFixture<ModelArtifactTests.Files>
{
    private readonly Files _files;

    public ModelArtifactTests(Files files) => _files = files;

    /// <summary>One small synthetic Criteo file and its fitted feature map, shared by the tests.</summary>
    public sealed class Files : IDisposable
    {
        public Files()
        {
            RunData.Synthesize(DataPath, rows: 3000, seed: 21);
            Map = RunData.FitMap(DataPath);
        }

        internal TempDirectory Directory { get; } = new();

        public string DataPath => Directory.File("small.tsv");

        internal FeatureMap Map { get; }

        public void Dispose() => Directory.Dispose();
    }

    public static TheoryData<string> Models => [.. ModelRegistry.Names];

    [Theory]
    [MemberData(nameof(Models))]
    public void SavedAndReloadedModelPredictsTheSameLogits(string name)
    {
        CtrModel model = RunData.RandomModel(name, _files.Map.Layout, maxBatchSize: 512);
        string path = _files.Directory.File($"roundtrip-{name}.cwm");
        ModelArtifact.Save(path, model, _files.Map, new { note = "test", auc = 0.75 });

        ModelArtifact artifact = ModelArtifact.Load(path);
        Assert.Equal(ConfigJson.Serialize(model.Config), ConfigJson.Serialize(artifact.Config));
        Assert.Equal(model.Config.Options.GetType(), artifact.Config.Options.GetType());
        Assert.Equal(model.Parameters.TotalLength, artifact.ParameterCount);
        Assert.Equal(_files.Map.Checksum, artifact.FeatureMap.Checksum);
        Assert.Contains("\"auc\": 0.75", artifact.ExtraJson);

        (int[] ids, float[] values, int rows) = EncodeFile(artifact.FeatureMap, _files.DataPath);
        Assert.Equal(3000, rows);
        float[] live = Predict(CompiledModel.Compile(model), ids, values, rows);
        float[] loaded = Predict(artifact.Compile(), ids, values, rows);
        Assert.Equal(live, loaded); // same weights, same plan: bit-identical
        Assert.True(live.Max() - live.Min() > 0.1f, "logits barely vary; the comparison would be weak");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void InstantiateGivesATrainableModelWithEqualParameters(string name)
    {
        CtrModel model = RunData.RandomModel(name, _files.Map.Layout, maxBatchSize: 64, seed: 4);
        string path = _files.Directory.File($"instantiate-{name}.cwm");
        ModelArtifact.Save(path, model, _files.Map);
        CtrModel copy = ModelArtifact.Load(path).Instantiate(maxBatchSize: 32);

        Assert.Equal(32, copy.MaxBatchSize);
        Assert.Equal(model.Parameters.Select(p => p.Name), copy.Parameters.Select(p => p.Name));
        foreach (var p in model.Parameters)
        {
            Assert.Equal(p.Value, copy.Parameters[p.Name].Value);
        }

        // Trainable: a backward pass fills gradients.
        var batch = new Batch(4, copy.Layout.FieldCount) { Count = 4 };
        for (int i = 0; i < batch.Ids.Length; i++)
        {
            int f = i % copy.Layout.FieldCount;
            batch.Ids[i] = copy.Layout.Offsets[f] + i % copy.Layout.Sizes[f];
        }

        float[] logits = new float[4];
        copy.Forward(batch, logits, training: true);
        copy.Parameters.ZeroGrad();
        copy.Backward(batch, [1f, -1f, 0.5f, 0.25f]);
        float[] biasGrad = copy.Parameters["bias"].Grad!;
        Assert.Equal(0.75f, biasGrad[0], 1e-6f);
    }

    [Fact]
    public void ACheckpointLoadsAsAModel()
    {
        // The trainer's checkpoint adds optimizer state ("adam.*/…" tensors); loading it as a model ignores those.
        CtrModel model = RunData.RandomModel("deepfwfm", _files.Map.Layout, maxBatchSize: 16);
        var trainer = new Clickwise.Training.Trainer(model, Clickwise.Training.TrainingConfig.Criteo with { BatchSize = 16, Epochs = 1 })
        {
            CheckpointPath = _files.Directory.File("ckpt.cwm"),
            FeatureMapJson = _files.Map.ToJson(),
        };
        const int Rows = 40;
        (int[] ids, _, _) = EncodeFile(_files.Map, _files.DataPath);
        float[] labels = [.. Enumerable.Range(0, Rows).Select(r => r % 4 == 0 ? 1f : 0f)];
        var data = new InMemoryBatchSource(ids[..(Rows * _files.Map.FieldCount)], null, labels, _files.Map.FieldCount);
        trainer.Fit(data, cancellationToken: TestContext.Current.CancellationToken);
        ModelArtifact artifact = ModelArtifact.Load(_files.Directory.File("ckpt.cwm"));
        Assert.Equal(model.Parameters.TotalLength, artifact.ParameterCount);
        foreach (var p in model.Parameters)
        {
            Assert.Equal(p.Value, artifact.Tensors[p.Name]);
        }
    }

    [Theory]
    [InlineData(0.5)]   // inside the tensors
    [InlineData(0.02)]  // inside the JSON header
    [InlineData(-1)]    // the stored checksum itself (last byte)
    public void AFlippedByteIsACorruptedFileNamedAsSuch(double where)
    {
        string path = _files.Directory.File($"corrupt-{where}.cwm");
        ModelArtifact.Save(path, RunData.RandomModel("fwfm", _files.Map.Layout, 8), _files.Map);
        byte[] bytes = File.ReadAllBytes(path);
        int at = where < 0 ? bytes.Length - 1 : Math.Max(ModelFileFormat.PreambleLength, (int)(bytes.Length * where));
        bytes[at] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        Exception error = Assert.ThrowsAny<Exception>(() => ModelArtifact.Load(path));
        Assert.True(error is ModelFormatException or InvalidDataException, $"{error.GetType().Name}: {error.Message}");
        Assert.Contains("checksum", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void ATruncatedFileSaysTruncated()
    {
        string path = _files.Directory.File("truncated.cwm");
        ModelArtifact.Save(path, RunData.RandomModel("fm", _files.Map.Layout, 8), _files.Map);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.ThrowsAny<Exception>(() => ModelArtifact.Load(path));
        Assert.IsType<ModelFormatException>(error);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void ATextFileIsNotAModel()
    {
        var error = Assert.ThrowsAny<Exception>(() => ModelArtifact.Load(_files.DataPath));
        Assert.IsType<ModelFormatException>(error);
        Assert.Contains("not a Clickwise model file", error.Message);
    }

    /// <summary>Every row of a Criteo file as ids and values under <paramref name="map"/>.</summary>
    internal static (int[] Ids, float[] Values, int Rows) EncodeFile(FeatureMap map, string path)
    {
        var ids = new List<int>();
        var values = new List<float>();
        using IRecordReader reader = RecordReaders.Open(path, RunData.Criteo);
        FeatureEncoder encoder = map.CreateEncoder();
        var record = new RawRecord(map.FieldCount);
        int[] rowIds = new int[map.FieldCount];
        float[] rowValues = new float[map.FieldCount];
        int rows = 0;
        while (reader.Read(record))
        {
            rowValues.AsSpan().Fill(1f);
            encoder.Encode(record, rowIds, rowValues);
            ids.AddRange(rowIds);
            values.AddRange(rowValues);
            rows++;
        }

        return ([.. ids], [.. values], rows);
    }

    internal static float[] Predict(CompiledModel model, int[] ids, float[] values, int rows)
    {
        float[] logits = new float[rows];
        model.PredictLogits(ids, values, rows, logits, model.CreateTape(256));
        return logits;
    }
}
