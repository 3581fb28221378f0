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
    public void ConfigWithAnUnknownKeyIsRejected()
    {
        var content = new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = """{"name":"fm","embeding_dim":4}""", Tensors = [] };
        var e = Assert.Throws<ModelFormatException>(() => ModelFiles.ParseConfig(content));
        Assert.Contains("embeding_dim", e.Message);
    }
}
