using Clickwise.Models;

namespace Clickwise.Tests.Models;

/// <summary>Settings by config key (<c>--set</c>, configs, golden fixtures): the model's own keys, errors in config terms.</summary>
public sealed class ModelConfigTests
{
    [Fact]
    public void ASettingIsReadAsItsKeysKind()
    {
        ModelConfig dcn = new ModelConfig { Name = "dcnv2" }.With([("cross_rank", "2"), ("cross_experts", "3")]);
        Assert.Equal(new DcnV2Options { CrossRank = 2, CrossExperts = 3 }, dcn.Options);

        ModelConfig cin = new ModelConfig { Name = "xdeepfm" }.With("cin_layers", "64,32");
        Assert.Equal([64, 32], cin.OptionsOf<XDeepFMOptions>().CinLayers);
        Assert.Equal([7], new ModelConfig { Name = "xdeepfm" }.With("cin_layers", "7").OptionsOf<XDeepFMOptions>().CinLayers);
        Assert.Equal([5, 4], new ModelConfig { Name = "dnn" }.With("hidden_units", "[5, 4]").HiddenUnits);
        Assert.Equal(Clickwise.Layers.BilinearKind.FieldAll,
            new ModelConfig { Name = "fibinet" }.With("bilinear_type", "field_all").OptionsOf<FiBiNetOptions>().BilinearType);
    }

    [Fact]
    public void SettingsThatHoldOnlyTogetherAreValidatedTogether()
    {
        // Odd CIN sizes need cin_split_half off; the pair is accepted in either order.
        ModelConfig cin = new ModelConfig { Name = "xdeepfm" }.With([("cin_layers", "3,5"), ("cin_split_half", "false")]);
        Assert.Equal([3, 5], cin.OptionsOf<XDeepFMOptions>().CinLayers);
        var alone = Assert.Throws<ArgumentException>(() => new ModelConfig { Name = "xdeepfm" }.With("cin_layers", "3,5"));
        Assert.Equal("cin_split_half needs an even size for every layer but the last, got [3, 5].", alone.Message);
    }

    [Fact]
    public void ErrorsNameTheKeyAndWhatItTakesNeverDotNetTypes()
    {
        var absent = Assert.Throws<ArgumentException>(() => new ModelConfig { Name = "fm" }.With("cross_layers", "2"));
        Assert.Equal("model 'fm' has no setting 'cross_layers'; its settings are embedding_dim, embedding_rank, embedding_tt_rank, embedding_tt_fields, embedding_qr_collisions, embedding_qr_fields, embedding_qr_op, "
            + "embedding_threshold, embedding_kept_rows, embedding_pruned_rows, embedding_dim_sampling, embedding_field_dims, init_std, seed", absent.Message);
        var deep = Assert.Throws<ArgumentException>(() => new ModelConfig { Name = "deepfm" }.With("cross_layers", "2"));
        Assert.Equal("model 'deepfm' has no setting 'cross_layers'; its settings are embedding_dim, embedding_rank, embedding_tt_rank, embedding_tt_fields, embedding_qr_collisions, embedding_qr_fields, embedding_qr_op, embedding_threshold, "
            + "embedding_kept_rows, embedding_pruned_rows, embedding_dim_sampling, embedding_field_dims, hidden_units, activation, dropout, mlp_ranks, mlp_inner_relu, init_std, seed", deep.Message);
        var number = Assert.Throws<ArgumentException>(() => new ModelConfig { Name = "dcn" }.With("cross_layers", "2.5"));
        Assert.Equal("cross_layers takes a whole number, got 2.5", number.Message);
        var name = Assert.Throws<ArgumentException>(() => new ModelConfig { Name = "fibinet" }.With("bilinear_type", "FieldAll"));
        Assert.Equal("bilinear_type takes one of field_all, field_each, field_interaction, got \"FieldAll\"", name.Message);
        var list = Assert.Throws<ArgumentException>(() => new ModelConfig { Name = "xdeepfm" }.With("cin_layers", "many"));
        Assert.Equal("cin_layers takes whole numbers (a list such as [400, 400] or 400,400), got \"many\"", list.Message);
    }

    [Fact]
    public void RenamingKeepsOnlyOptionsTheNewModelTakes()
    {
        var dcn = new ModelConfig { Name = "dcn", Options = new CrossOptions { CrossLayers = 5 } };
        Assert.Equal(5, (dcn with { Name = "gdcn" }).OptionsOf<CrossOptions>().CrossLayers); // same record: kept
        Assert.Equal(new DcnV2Options(), (dcn with { Name = "dcnv2" }).Options);             // another record: the defaults
        Assert.Same(ModelOptions.None, (dcn with { Name = "deepfm" }).Options);
    }

    [Fact]
    public void LowRankDnnLayersAreSettingsWrittenOnlyWhenSet()
    {
        ModelConfig plain = new() { Name = "deepfm", HiddenUnits = [400, 400, 400] };
        Assert.DoesNotContain("mlp_ranks", System.Text.Json.JsonSerializer.Serialize(plain));

        ModelConfig lowRank = plain.With([("mlp_ranks", "0,64,64"), ("mlp_inner_relu", "false")]);
        Assert.Equal([0, 64, 64], lowRank.MlpRanks);
        Assert.False(lowRank.MlpInnerRelu);
        ModelConfig read = System.Text.Json.JsonSerializer.Deserialize<ModelConfig>(System.Text.Json.JsonSerializer.Serialize(lowRank))!;
        Assert.Equal(lowRank.MlpRanks, read.MlpRanks);
        Assert.False(read.MlpInnerRelu);
        Assert.Contains("mlp_ranks [0, 64, 64]", lowRank.Describe());

        Assert.Equal("mlp_ranks gives 2 ranks for 3 hidden layers: one per layer (0 keeps it dense).",
            Assert.Throws<ArgumentException>(() => plain.With("mlp_ranks", "64,64")).Message);
        Assert.Equal("mlp_ranks[1] is 500; layer 1 takes a rank in 0..400.",
            Assert.Throws<ArgumentException>(() => plain.With("mlp_ranks", "0,500,64")).Message);
    }
}
