using Clickwise.Data.Cache;
using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Runs;

namespace Clickwise.Tests.Runs;

/// <summary>Each preset carries its paper's numbers, per model where the paper gives them per model.</summary>
public sealed class RunPresetsTests
{
    public static TheoryData<string> Names() => [.. RunPresets.Names];

    [Fact]
    public void DeepLightPresetsCarrySection514()
    {
        RunPreset criteo = RunPresets.Get("deeplight-criteo"), avazu = RunPresets.Get("deeplight-avazu");
        ModelConfig xdeepfm = criteo.Model("xdeepfm");
        Assert.Equal((10, 0.5f, Activation.Relu), (xdeepfm.EmbeddingDim, xdeepfm.Dropout, xdeepfm.Activation));
        Assert.Equal([400, 400, 400], xdeepfm.HiddenUnits);
        Assert.Equal([100, 100, 50], xdeepfm.OptionsOf<XDeepFMOptions>().CinLayers);
        Assert.Equal(("adam", 1e-3, 2048, 3e-7, 3e-7), (criteo.Training.Optimizer, criteo.Training.LearningRate, criteo.Training.BatchSize,
            criteo.Training.L2Embedding, criteo.Training.L2Net));

        ModelConfig deepfm = avazu.Model("deepfm");
        Assert.Equal((20, 0.5f), (deepfm.EmbeddingDim, deepfm.Dropout));
        Assert.Equal([300, 300, 300], deepfm.HiddenUnits);
        Assert.Equal((1e-3, 2048, 6e-7, 6e-7), (avazu.Training.LearningRate, avazu.Training.BatchSize, avazu.Training.L2Embedding, avazu.Training.L2Net));
        Assert.Equal((8, 5), (criteo.Data.MinCount, avazu.Data.MinCount));
    }

    [Fact]
    public void DeepFMCriteoRandomIsTableIIIsFirstColumn()
    {
        RunPreset preset = RunPresets.Get("deepfm-criteo-random");
        ModelConfig ipnn = preset.Model("ipnn"), deepfm = preset.Model("deepfm"), wdlFm = preset.Model("wdl-fm"), fnn = preset.Model("fnn");
        Assert.Equal((Activation.Tanh, 0.5f, 11), (ipnn.Activation, ipnn.Dropout, ipnn.EmbeddingDim)); // tanh;0.5;400-400-400
        Assert.Equal([400, 400, 400], ipnn.HiddenUnits);
        Assert.Equal((Activation.Relu, 0.5f, 10), (deepfm.Activation, deepfm.Dropout, deepfm.EmbeddingDim)); // DeepFMs at 10
        Assert.Equal(11, wdlFm.EmbeddingDim);
        Assert.Equal(10, fnn.EmbeddingDim); // k = 10; fnn's per-field input is D + 1 = 11
        Assert.Equal((SplitMode.Random, 0.1), (preset.Data.SplitMode, preset.Data.Split.Test));
        // The paper's LR trains with FTRL, every other model with Adam.
        Assert.Equal(("ftrl", 2.0), (preset.TrainingFor("lr").Optimizer, preset.TrainingFor("lr").LearningRate));
        Assert.Equal("adam", preset.TrainingFor("deepfm").Optimizer);
        Assert.Equal("adam", RunPresets.Get("criteo").TrainingFor("lr").Optimizer);
    }

    [Fact]
    public void DeepFMCriteoSequentialReadsTheKeepProbabilitiesAsDropoutRates()
    {
        RunPreset preset = RunPresets.Get("deepfm-criteo-sequential");
        // tanh;0.8;800-800-800 → keep 0.8 is rate 0.2
        ModelConfig ipnn = preset.Model("ipnn");
        Assert.Equal((Activation.Tanh, 0.2f), (ipnn.Activation, ipnn.Dropout));
        Assert.Equal([800, 800, 800], ipnn.HiddenUnits);
        // FM & DNN: tanh;0.7;1000-900-800-700-600
        ModelConfig wdlFm = preset.Model("wdl-fm");
        Assert.Equal((Activation.Tanh, 0.3f, 11), (wdlFm.Activation, wdlFm.Dropout, wdlFm.EmbeddingDim));
        Assert.Equal([1000, 900, 800, 700, 600], wdlFm.HiddenUnits);
        // LR & DNN: relu;1.0;1100-…-500 → no dropout
        ModelConfig wdl = preset.Model("wdl");
        Assert.Equal((Activation.Relu, 0f), (wdl.Activation, wdl.Dropout));
        Assert.Equal([1100, 1000, 900, 800, 700, 600, 500], wdl.HiddenUnits);
        // DeepFM-D: relu;0.9;800 × 7
        ModelConfig deepfm = preset.Model("deepfm");
        Assert.Equal((0.1f, 10), (deepfm.Dropout, deepfm.EmbeddingDim));
        Assert.Equal(Enumerable.Repeat(800, 7), deepfm.HiddenUnits);
        // Not in Table III: the setting every model shares on Criteo-Random.
        ModelConfig nfm = preset.Model("nfm");
        Assert.Equal((Activation.Relu, 0.5f, 10), (nfm.Activation, nfm.Dropout, nfm.EmbeddingDim));
        Assert.Equal([400, 400, 400], nfm.HiddenUnits);
        // Six days train, the seventh tests, in row order.
        Assert.Equal(SplitMode.Sequential, preset.Data.SplitMode);
        Assert.Equal(1.0 / 7, preset.Data.Split.Test, 12);
        Assert.Equal(6.0 / 7, preset.Data.Split.Train + preset.Data.Split.Valid, 12);
    }

    [Fact]
    public void LowRankPresetsCarryFiBiNetsBaselineSettings()
    {
        RunPreset criteo = RunPresets.Get("lowrank-criteo"), avazu = RunPresets.Get("lowrank-avazu");
        ModelConfig fibinet = criteo.Model("fibinet"), dcn = avazu.Model("dcn");
        Assert.Equal((16, 0.5f, Activation.Relu), (fibinet.EmbeddingDim, fibinet.Dropout, fibinet.Activation));
        Assert.Equal([400, 400, 400], fibinet.HiddenUnits);
        Assert.Equal((50, 0.5f), (dcn.EmbeddingDim, dcn.Dropout));
        Assert.Equal([2000, 2000, 2000], dcn.HiddenUnits);
        Assert.Equal(("adam", 1e-4, 1000, 1e-3), (criteo.Training.Optimizer, criteo.Training.LearningRate, criteo.Training.BatchSize, criteo.Training.L2Net));
        Assert.Equal((1e-4, 500, 1e-3), (avazu.Training.LearningRate, avazu.Training.BatchSize, avazu.Training.L2Embedding));
        Assert.Equal((0.1, 0.2), (criteo.Data.Split.Test, avazu.Data.Split.Test));
    }

    [Fact]
    public void CriteoAndAvazuAreAsBefore()
    {
        ModelConfig resolved = new RunConfig().ResolvedModel;
        Assert.Equal(("deepfwfm", 10, 0.5f, Activation.Relu), (resolved.Name, resolved.EmbeddingDim, resolved.Dropout, resolved.Activation));
        Assert.Equal([400, 400, 400], resolved.HiddenUnits);
        Assert.Equal(11, RunPresets.Get("criteo").Model("wdl-fm").EmbeddingDim); // as quickstart always had it
        Assert.Same(Clickwise.Training.TrainingConfig.Criteo, RunPresets.Get("criteo").Training);
        Assert.Same(Clickwise.Training.TrainingConfig.Avazu, RunPresets.Get("avazu").Training);
        Assert.Equal((20, 300), (RunPresets.Get("avazu").Model("fm").EmbeddingDim, RunPresets.Get("avazu").Model("nfm").HiddenUnits[0]));
    }

    [Fact]
    public void AConfigModelSectionReplacesThePresetsAndAnUnknownPresetIsNamed()
    {
        var run = new RunConfig { Preset = "deepfm-criteo-sequential" };
        Assert.Equal(Activation.Tanh, run.ModelFor("ipnn").Activation);
        Assert.Equal("deepfwfm", run.ModelFor(null).Name);
        var own = run with { Model = new ModelConfig { Name = "dnn", HiddenUnits = [7] } };
        Assert.Equal(("ipnn", Activation.Relu), (own.ModelFor("ipnn").Name, own.ModelFor("ipnn").Activation));
        Assert.Equal([7], own.ModelFor(null).HiddenUnits);
        var e = Assert.Throws<ArgumentException>(() => RunPresets.Get("deepfm"));
        Assert.Contains("deepfm-criteo-random", e.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryPresetBuildsEveryRegisteredModel(string name)
    {
        RunPreset preset = RunPresets.Get(name);
        preset.Data.Validate();
        preset.Training.Validate();
        var layout = new FeatureLayout(["a", "b", "c", "d"], [3, 4, 2, 5]);
        foreach (string model in ModelRegistry.Names)
        {
            ModelConfig config = preset.Model(model);
            Assert.Equal(model, config.Name);
            Assert.NotNull(ModelRegistry.Create(config, layout).Prepared(2));
        }
    }
}
