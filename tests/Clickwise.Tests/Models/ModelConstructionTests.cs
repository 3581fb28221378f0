using Clickwise.Data;
using Clickwise.Inference;
using Clickwise.Models;
using Clickwise.Tests.Inference;

namespace Clickwise.Tests.Models;

/// <summary>Construction builds the architecture and weights only; training state comes from PrepareTraining.</summary>
public sealed class ModelConstructionTests
{
    public static TheoryData<string> Names => [.. ModelRegistry.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void ABuiltModelHoldsNoTrainingStateYetCompilesToItsForward(string name)
    {
        CtrModel model = ModelRegistry.Create(RandomModels.Config(name), RandomModels.Layout);
        Assert.Equal(0, model.MaxBatchSize);
        Assert.All(model.Parameters.Where(p => p.IsRowSparse), p => Assert.Null(p.RowGrad));

        CompiledModel compiled = CompiledModel.Compile(model);
        Batch batch = RandomModels.Batch(9, withValues: true);
        float[] planned = new float[batch.Count];
        compiled.PredictLogits(batch.IdsInUse, batch.ValuesInUse, batch.Count, planned, compiled.CreateTape(batch.Count));

        model.PrepareTraining(batch.Count);
        Assert.All(model.Parameters.Where(p => p.IsRowSparse), p => Assert.NotNull(p.RowGrad));
        RandomModels.AssertClose(RandomModels.ForwardLogits(model, batch), planned, name);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void LoadBuildsTheModelAroundTheTensorsWithoutCopying(string name)
    {
        CtrModel saved = RandomModels.Create(name, maxBatchSize: 5);
        var tensors = saved.Parameters.ToDictionary(p => p.Name, p => (float[])p.Value.Clone());

        CtrModel loaded = ModelRegistry.Load(saved.Config, saved.Layout, tensors);

        Assert.Equal(saved.Parameters.Select(p => p.Name), loaded.Parameters.Select(p => p.Name));
        Assert.All(loaded.Parameters, p => Assert.Same(tensors[p.Name], p.Value));
        Assert.All(loaded.Parameters, p => Assert.True(p.IsLoaded));
        Batch batch = RandomModels.Batch(5, withValues: false);
        loaded.PrepareTraining(batch.Count);
        Assert.Equal(RandomModels.ForwardLogits(saved, batch), RandomModels.ForwardLogits(loaded, batch));
    }

    [Fact]
    public void LoadNamesAMissingOrMisshapenTensor()
    {
        CtrModel saved = RandomModels.Create("deepfwfm", maxBatchSize: 1);
        var tensors = saved.Parameters.ToDictionary(p => p.Name, p => p.Value);

        tensors.Remove("fwfm.r");
        var missing = Assert.Throws<InvalidDataException>(() => ModelRegistry.Load(saved.Config, saved.Layout, tensors));
        Assert.Equal("model 'deepfwfm': tensor 'fwfm.r' is missing", missing.Message);

        tensors["fwfm.r"] = new float[3];
        var misshapen = Assert.Throws<InvalidDataException>(() => ModelRegistry.Load(saved.Config, saved.Layout, tensors));
        Assert.Equal("model 'deepfwfm': tensor 'fwfm.r' has 3 values, expected 28 ([28])", misshapen.Message);
    }

    [Fact]
    public void AnUnknownModelInAFileIsBadData()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            ModelRegistry.Load(RandomModels.Config("nosuchmodel"), RandomModels.Layout, new Dictionary<string, float[]>()));
        Assert.StartsWith("unknown model 'nosuchmodel'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForwardBeforePrepareTrainingSaysWhatIsMissing()
    {
        CtrModel model = ModelRegistry.Create(RandomModels.Config("deepfm"), RandomModels.Layout);
        Batch batch = RandomModels.Batch(2, withValues: false);
        var error = Assert.Throws<InvalidOperationException>(() => model.Forward(batch, new float[2], training: false));
        Assert.Equal("deepfm: call PrepareTraining(maxBatchSize) before running the model.", error.Message);
    }

    [Fact]
    public void PrepareTrainingReplansForALargerBatch()
    {
        CtrModel model = RandomModels.Create("xdeepfm", maxBatchSize: 2);
        Assert.Equal(2 * RandomModels.Layout.FieldCount, model.Parameters["embedding"].RowGrad!.Rows.Length);
        Batch batch = RandomModels.Batch(7, withValues: true);
        Assert.Throws<ArgumentException>(() => model.Forward(batch, new float[7], training: false));

        model.PrepareTraining(7);
        Assert.Equal(7, model.MaxBatchSize);
        Assert.Equal(RandomModels.Layout.TotalRows, model.Parameters["embedding"].RowGrad!.Rows.Length); // 7·F = 56 > V = 47
        float[] logits = RandomModels.ForwardLogits(model, batch);
        Assert.All(logits, l => Assert.True(float.IsFinite(l)));
        Assert.Contains(logits, l => l != logits[0]);
    }
}
