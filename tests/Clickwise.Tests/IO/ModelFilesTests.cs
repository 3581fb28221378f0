using Clickwise.IO;
using Clickwise.Models;
using Clickwise.Tests.Training;

namespace Clickwise.Tests.IO;

public sealed class ModelFilesTests
{
    [Fact]
    public void SavedModelReloadsItsConfigAndParameters()
    {
        var model = new TinyModel(TrainingFixtures.Layout, 8, dim: 3, hidden: 5, dropout: 0.5f, seed: 11);
        string path = Path.Combine(Path.GetTempPath(), $"clickwise-mf-{Guid.NewGuid():N}.clkw");
        try
        {
            ModelFiles.SaveModel(path, model, """{"fields":["a","b","c"]}""", """{"valid_auc":0.75}""");
            ModelFileContent content = ModelFileReader.Read(path);
            ModelConfig config = ModelFiles.ParseConfig(content);

            Assert.Equal(ModelFileKind.Model, content.Kind);
            Assert.Equal(("tiny", 3, 0.5f, 11), (config.Name, config.EmbeddingDim, config.Dropout, config.Seed));
            Assert.Equal([5], config.HiddenUnits);
            Assert.Contains("\"embedding_dim\":3", content.ConfigJson);

            var reloaded = new TinyModel(TrainingFixtures.Layout, 8, dim: 3, hidden: 5, dropout: 0.5f, seed: 99);
            ParameterTensors.Load(reloaded.Parameters, content.Tensors);
            TrainingFixtures.AssertBitIdentical(TrainingFixtures.Snapshot(model.Parameters), reloaded.Parameters);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ConfigsWrittenBeforeTheCinKeysLoadWithTheirDefaultsAndNewOnesRoundTrip()
    {
        const string Old = """{"name":"deepfwfm","embedding_dim":10,"hidden_units":[400,400,400],"dropout":0.5,"cross_layers":3,"cross_rank":0,"cross_experts":4,"init_std":0.01,"seed":2019}""";
        ModelConfig old = ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = Old, Tensors = [] });
        Assert.Equal([100, 100, 50], old.CinLayers);
        Assert.True(old.CinSplitHalf);

        var xdeepfm = new ModelConfig { Name = "xdeepfm", CinLayers = [64, 32], CinSplitHalf = false };
        string json = ModelFiles.ConfigJson(xdeepfm);
        Assert.Contains("\"cin_layers\":[64,32]", json);
        Assert.Contains("\"cin_split_half\":false", json);
        ModelConfig back = ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = json, Tensors = [] });
        Assert.Equal([64, 32], back.CinLayers);
        Assert.False(back.CinSplitHalf);
    }

    [Fact]
    public void FiBiNetSettingsRoundTripAndFilesWrittenBeforeThemGetTheDefaults()
    {
        var config = new ModelConfig { Name = "fibinet", BilinearType = Clickwise.Layers.BilinearKind.FieldEach, SenetReduction = 2 };
        string json = ModelFiles.ConfigJson(config);
        Assert.Contains("\"bilinear_type\":\"field_each\"", json);
        Assert.Contains("\"senet_reduction\":2", json);
        ModelConfig back = ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = json, Tensors = [] });
        Assert.Equal((Clickwise.Layers.BilinearKind.FieldEach, 2), (back.BilinearType, back.SenetReduction));

        // A config written before FiBiNet (no bilinear_type or senet_reduction keys) still loads.
        ModelConfig old = ModelFiles.ParseConfig(new ModelFileContent
        {
            Kind = ModelFileKind.Model,
            ConfigJson = """{"name":"deepfwfm","embedding_dim":4,"hidden_units":[8],"dropout":0.5,"cross_layers":3,"cross_rank":0,"cross_experts":4,"init_std":0.01,"seed":1}""",
            Tensors = [],
        });
        Assert.Equal((Clickwise.Layers.BilinearKind.FieldInteraction, 3), (old.BilinearType, old.SenetReduction));
    }

    [Fact]
    public void ConfigsWrittenBeforeTheAttentionKeysLoadWithThePapersDefaults()
    {
        // A model file from before the AutoInt settings existed has no attention_* keys in its config.
        var old = new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = """{"name":"dcn","embedding_dim":4,"cross_layers":2}""", Tensors = [] };
        ModelConfig config = ModelFiles.ParseConfig(old);
        Assert.Equal((3, 2, 32, true), (config.AttentionLayers, config.AttentionHeads, config.AttentionDim, config.AttentionResidual));

        var written = new ModelConfig { Name = "autoint+", AttentionLayers = 2, AttentionHeads = 4, AttentionDim = 8, AttentionResidual = false };
        string json = ModelFiles.ConfigJson(written);
        Assert.Contains("\"attention_layers\":2", json);
        Assert.Contains("\"attention_residual\":false", json);
        ModelConfig reread = ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = json, Tensors = [] });
        Assert.Equal((2, 4, 8, false), (reread.AttentionLayers, reread.AttentionHeads, reread.AttentionDim, reread.AttentionResidual));
    }

    [Fact]
    public void TheActivationRoundTripsAndFilesWrittenBeforeItLoadAsRelu()
    {
        string json = ModelFiles.ConfigJson(new ModelConfig { Name = "ipnn", Activation = Clickwise.Layers.Activation.Tanh });
        Assert.Contains("\"activation\":\"tanh\"", json);
        ModelConfig back = ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = json, Tensors = [] });
        Assert.Equal(Clickwise.Layers.Activation.Tanh, back.Activation);

        ModelConfig old = ModelFiles.ParseConfig(new ModelFileContent
        {
            Kind = ModelFileKind.Model,
            ConfigJson = """{"name":"deepfm","embedding_dim":4,"hidden_units":[8],"dropout":0.5,"init_std":0.01,"seed":1}""",
            Tensors = [],
        });
        Assert.Equal(Clickwise.Layers.Activation.Relu, old.Activation);
    }

    [Fact]
    public void ConfigWithAnUnknownKeyIsRejected()
    {
        var content = new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = """{"name":"fm","embeding_dim":4}""", Tensors = [] };
        var e = Assert.Throws<ModelFormatException>(() => ModelFiles.ParseConfig(content));
        Assert.Contains("embeding_dim", e.Message);
    }
}
