using Clickwise.Features;
using Clickwise.Models;

namespace Clickwise.Tests.Models;

public sealed class ModelTransferTests
{
    private static readonly FeatureLayout Layout = new(["a", "b", "c"], [3, 4, 2]);

    private static ModelConfig Config(string name, int dim = 3) =>
        new() { Name = name, EmbeddingDim = dim, HiddenUnits = [4, 4], Dropout = 0f, Seed = 7 };

    [Theory]
    [InlineData("fm", "fnn", "embedding,first_order,bias", "mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("deepfm", "fnn", "embedding,first_order,bias", "mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("fnn", "fm", "embedding,first_order,bias", "")]
    [InlineData("fm", "lr", "first_order,bias", "")]
    [InlineData("dnn", "deepfwfm", "embedding,bias", "fwfm.v,fwfm.r,mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    [InlineData("wdl-fm", "wdl", "embedding,first_order,bias", "mlp.0.weight,mlp.0.bias,mlp.1.weight,mlp.1.bias,mlp.2.weight,mlp.2.bias")]
    public void LookupTablesAndTheBiasMoveNetworksStartFresh(string source, string target, string copied, string fresh)
    {
        TransferPlan plan = ModelTransfer.Plan(Config(source), Config(target), Layout.FieldCount);
        Assert.Equal(copied, string.Join(",", plan.Copied));
        Assert.Equal(fresh, string.Join(",", plan.Fresh));
    }

    [Theory]
    [InlineData("fm", "ffm", "'ffm.embedding'")]
    [InlineData("fm", "wdl-fm", "'wide.embedding'")]
    [InlineData("lr", "fnn", "'embedding'")]
    [InlineData("deepfwfm", "fnn", "'first_order'")]
    [InlineData("ffm", "fm", "'embedding'")]
    public void ATargetMissingATableItLooksUpIsRefused(string source, string target, string table)
    {
        var error = Assert.Throws<ArgumentException>(() => ModelTransfer.Plan(Config(source), Config(target), Layout.FieldCount));
        Assert.Contains(table, error.Message);
        Assert.Contains($"{target} cannot start from a {source}", error.Message);
    }

    [Fact]
    public void DifferentEmbeddingWidthsAreRefusedNamingTheFlag()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelTransfer.Plan(Config("fm", 4), Config("fnn", 3), Layout.FieldCount));
        Assert.Contains("'embedding' rows are 4 wide in the fm", error.Message);
        Assert.Contains("--embedding-dim 4", error.Message);
    }

    [Fact]
    public void ApplyCopiesTheFMsTablesIntoAnFnnAndLeavesItsDnnAlone()
    {
        CtrModel fm = Clickwise.Tests.Runs.RunData.RandomModel("fm", Layout, 4);
        CtrModel fnn = ModelRegistry.Create(fm.Config with { Name = "fnn" }, Layout).Prepared(4);
        float[] mlp = (float[])fnn.Parameters["mlp.0.weight"].Value.Clone();
        ModelTransfer.Apply(fm.Config, fm.Parameters.ToDictionary(p => p.Name, p => p.Value), fnn);
        foreach (string name in new[] { "embedding", "first_order", "bias" })
        {
            Assert.Equal(fm.Parameters[name].Value, fnn.Parameters[name].Value);
        }

        Assert.Equal(mlp, fnn.Parameters["mlp.0.weight"].Value);
    }

    [Fact]
    public void TensorsOfAnotherVocabularyAreRefused()
    {
        CtrModel fm = Clickwise.Tests.Runs.RunData.RandomModel("fm", Layout, 4);
        CtrModel fnn = ModelRegistry.Create(fm.Config with { Name = "fnn" }, new FeatureLayout(["a", "b", "c"], [3, 4, 5])).Prepared(4);
        var error = Assert.Throws<InvalidDataException>(() => ModelTransfer.Apply(fm.Config, fm.Parameters.ToDictionary(p => p.Name, p => p.Value), fnn));
        Assert.Contains("another vocabulary", error.Message);
    }
}
