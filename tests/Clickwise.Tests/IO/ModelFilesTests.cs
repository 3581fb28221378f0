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
    public void AVersion1HeaderKeepsOnlyItsModelsSettings()
    {
        // Format 1 wrote every model's keys into every header: a deepfwfm carried the cross and CIN settings.
        const string V1 = """{"name":"deepfwfm","embedding_dim":10,"hidden_units":[400,400,400],"dropout":0.5,"cross_layers":3,"cross_rank":0,"cross_experts":4,"cin_layers":[100,100,50],"cin_split_half":true,"init_std":0.01,"seed":2019}""";
        ModelConfig old = ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, FormatVersion = 1, ConfigJson = V1, Tensors = [] });
        Assert.Equal(("deepfwfm", 10, 2019), (old.Name, old.EmbeddingDim, old.Seed));
        Assert.Same(ModelOptions.None, old.Options);
        Assert.DoesNotContain("cross_layers", ModelFiles.ConfigJson(old));

        // The same header in format 2 names a setting deepfwfm does not have.
        var error = Assert.Throws<ModelFormatException>(() =>
            ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = V1, Tensors = [] }));
        Assert.Contains("model 'deepfwfm' has no setting 'cross_layers'", error.Message);

        // A version-1 dcnv2 keeps its own cross settings.
        const string V1Dcn = """{"name":"dcnv2","embedding_dim":4,"hidden_units":[8],"dropout":0.5,"cross_layers":2,"cross_rank":3,"cross_experts":2,"cin_layers":[100,100,50],"attention_dim":32,"init_std":0.01,"seed":1}""";
        ModelConfig dcn = ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, FormatVersion = 1, ConfigJson = V1Dcn, Tensors = [] });
        Assert.Equal(new DcnV2Options { CrossLayers = 2, CrossRank = 3, CrossExperts = 2 }, dcn.Options);
    }

    [Fact]
    public void EachModelsSettingsRoundTripAndOlderFilesWithoutThemGetTheDefaults()
    {
        ModelConfig[] configs =
        [
            new() { Name = "xdeepfm", Options = new XDeepFMOptions { CinLayers = [64, 32], CinSplitHalf = false } },
            new() { Name = "fibinet", Options = new FiBiNetOptions { BilinearType = Clickwise.Layers.BilinearKind.FieldEach, SenetReduction = 2 } },
            new() { Name = "autoint+", Options = new AutoIntOptions { AttentionLayers = 2, AttentionHeads = 4, AttentionDim = 8, AttentionResidual = false } },
            new() { Name = "dcnv2", Options = new DcnV2Options { CrossLayers = 5, CrossRank = 2, CrossExperts = 3 } },
        ];
        string[] expected =
        [
            "\"cin_layers\":[64,32],\"cin_split_half\":false",
            "\"bilinear_type\":\"field_each\",\"senet_reduction\":2",
            "\"attention_layers\":2,\"attention_heads\":4,\"attention_dim\":8,\"attention_residual\":false",
            "\"cross_rank\":2,\"cross_experts\":3",
        ];
        for (int i = 0; i < configs.Length; i++)
        {
            string json = ModelFiles.ConfigJson(configs[i]);
            Assert.Contains(expected[i], json);
            ModelConfig back = ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = json, Tensors = [] });
            Assert.Equal(json, ModelFiles.ConfigJson(back));
            Assert.Equal(configs[i].Options.GetType(), back.Options.GetType());
        }

        // Files written before a model's keys existed have none of them.
        var dcn = ModelFiles.ParseConfig(new ModelFileContent
        {
            Kind = ModelFileKind.Model, FormatVersion = 1, ConfigJson = """{"name":"autoint","embedding_dim":4}""", Tensors = [],
        });
        Assert.Equal(new AutoIntOptions(), dcn.Options);
        var fibinet = ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = """{"name":"fibinet"}""", Tensors = [] });
        Assert.Equal(new FiBiNetOptions(), fibinet.Options);
    }

    [Fact]
    public void AModelWithoutADnnWritesNoDnnSettings()
    {
        string json = ModelFiles.ConfigJson(new ModelConfig { Name = "fm", EmbeddingDim = 4 });
        Assert.Equal("""{"name":"fm","embedding_dim":4,"init_std":0.01,"seed":2019}""", json);
        Assert.Equal(["name", "embedding_dim", "embedding_rank", "embedding_tt_rank", "embedding_tt_fields", "embedding_qr_collisions", "embedding_qr_fields",
            "embedding_qr_op", "embedding_threshold", "embedding_kept_rows",
            "embedding_pruned_rows", "embedding_dim_sampling", "embedding_field_dims", "init_std", "seed"], new ModelConfig { Name = "fm" }.SettingKeys);
        Assert.Equal(["name", "embedding_dim", "embedding_rank", "embedding_tt_rank", "embedding_tt_fields", "embedding_qr_collisions", "embedding_qr_fields",
            "embedding_qr_op", "embedding_threshold", "embedding_kept_rows", "embedding_pruned_rows",
                "embedding_dim_sampling", "embedding_field_dims", "hidden_units", "activation", "dropout", "mlp_ranks", "mlp_inner_relu", "init_std", "seed", "cin_layers", "cin_split_half"],
            new ModelConfig { Name = "xdeepfm" }.SettingKeys);
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
    public void TensorTrainSettingsAreWrittenOnlyWhenSetAndRoundTrip()
    {
        Assert.DoesNotContain("embedding_tt", ModelFiles.ConfigJson(new ModelConfig { Name = "deepfm" }));
        string json = ModelFiles.ConfigJson(new ModelConfig { Name = "deepfm", EmbeddingTtRank = 8, EmbeddingTtFields = 3 });
        Assert.Contains("\"embedding_tt_rank\":8,\"embedding_tt_fields\":3", json);
        ModelConfig back = ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = json, Tensors = [] });
        Assert.Equal((8, 3), (back.EmbeddingTtRank, back.EmbeddingTtFields));
    }

    [Fact]
    public void QuotientRemainderSettingsAreWrittenOnlyWhenSetAndRoundTrip()
    {
        Assert.DoesNotContain("embedding_qr", ModelFiles.ConfigJson(new ModelConfig { Name = "deepfm" }));
        ModelConfig config = new ModelConfig { Name = "dcn" }.With([("embedding_qr_collisions", "4"), ("embedding_qr_fields", "3"), ("embedding_qr_op", "add")]);
        string json = ModelFiles.ConfigJson(config);
        Assert.Contains("\"embedding_qr_collisions\":4,\"embedding_qr_fields\":3,\"embedding_qr_op\":\"add\"", json);
        ModelConfig back = ModelFiles.ParseConfig(new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = json, Tensors = [] });
        Assert.Equal((4, 3, Clickwise.Layers.QrOperation.Add), (back.EmbeddingQrCollisions, back.EmbeddingQrFields, back.EmbeddingQrOperation));
    }

    [Fact]
    public void ConfigWithAnUnknownKeyIsRejected()
    {
        var content = new ModelFileContent { Kind = ModelFileKind.Model, ConfigJson = """{"name":"fm","embeding_dim":4}""", Tensors = [] };
        var e = Assert.Throws<ModelFormatException>(() => ModelFiles.ParseConfig(content));
        Assert.Contains("embeding_dim", e.Message);
    }
}
