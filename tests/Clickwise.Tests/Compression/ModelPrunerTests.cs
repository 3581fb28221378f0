using Clickwise.Compression.Pruning;
using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Tests.Compression;

public sealed class ModelPrunerTests
{
    private static readonly FeatureLayout Layout = new(["a", "b", "c", "d"], [50, 7, 120, 3]);

    private static CtrModel Model(string name, int[]? cinLayers = null)
    {
        var config = new ModelConfig { Name = name, EmbeddingDim = 4, HiddenUnits = [16, 8], Seed = 5 };
        CtrModel model = ModelRegistry.Create(cinLayers is null ? config : config with { Options = new XDeepFMOptions { CinLayers = cinLayers } }, Layout).Prepared(8);
        // Embeddings start small and equal-ish; spread them so magnitudes differ, as after training.
        var random = new Random(1);
        foreach (Parameter p in model.Parameters)
        {
            for (int i = 0; i < p.Length; i++)
            {
                p.Value[i] = (float)(random.NextDouble() - 0.5);
            }
        }

        return model;
    }

    [Fact]
    public void PrunesEachComponentToItsExactRate()
    {
        CtrModel model = Model("deepfwfm");
        var pruner = new ModelPruner(model.Parameters, Layout, SparsityTargets.Parse("D-90% & R-50% & F-40%"));
        pruner.Prune();

        // Hidden layers 16→16 and 16→8 pruned layer-wise; the 8→1 output layer and the biases untouched.
        Assert.Equal(0.9, ZeroFraction(model.Parameters["mlp.0.weight"]), 2);
        Assert.Equal(MagnitudePruning.PrunedCount(16 * 8, 0.9), Zeros(model.Parameters["mlp.1.weight"]));
        Assert.Equal(0, Zeros(model.Parameters["mlp.2.weight"]));
        Assert.Equal(0, Zeros(model.Parameters["mlp.0.bias"]));
        Assert.Equal(MagnitudePruning.PrunedCount(6, 0.5), Zeros(model.Parameters["fwfm.r"]));
        Assert.Equal(MagnitudePruning.PrunedCount(180 * 4, 0.4), Zeros(model.Parameters["embedding"]));
        Assert.Equal(0, Zeros(model.Parameters["fwfm.v"]));

        IReadOnlyDictionary<PruningComponent, (long Pruned, long Total)> achieved = pruner.Sparsity();
        Assert.Equal((MagnitudePruning.PrunedCount(16 * 16, 0.9) + MagnitudePruning.PrunedCount(16 * 8, 0.9), 16 * 16 + 16 * 8L),
            achieved[PruningComponent.Dnn]);
    }

    [Fact]
    public void PersistentMasksKeepPrunedWeightsAtZeroAfterUpdates()
    {
        CtrModel model = Model("deepfwfm");
        var pruner = new ModelPruner(model.Parameters, Layout, SparsityTargets.Parse("dnn=0.5"));
        pruner.Prune(0.5);
        Parameter w = model.Parameters["mlp.0.weight"];
        bool[] prunedBefore = [.. w.Value.Select(v => v == 0f)];

        // An optimizer step moves every weight, pruned or not; the masks put the pruned ones back.
        for (int i = 0; i < w.Length; i++)
        {
            w.Value[i] += 0.25f;
        }

        pruner.ApplyMasks();
        Assert.Equal(prunedBefore, w.Value.Select(v => v == 0f));

        // Raising the rate keeps everything pruned before, even weights that grew in between.
        pruner.Prune(1.0);
        Assert.All(Enumerable.Range(0, w.Length).Where(i => prunedBefore[i]), i => Assert.Equal(0f, w.Value[i]));
        Assert.Equal(MagnitudePruning.PrunedCount(16 * 16, 0.5), Zeros(w));
    }

    [Fact]
    public void ALowRankModelPrunesItsFactorsAndItsCompressedTableButNotTheProjections()
    {
        var config = new ModelConfig { Name = "deepfwfm", EmbeddingDim = 4, HiddenUnits = [16, 8], Seed = 5, MlpRanks = [0, 3], EmbeddingRank = 2 };
        CtrModel model = ModelRegistry.Create(config, Layout).Prepared(8);
        var random = new SeededRandom(2);
        foreach (Parameter p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.5);
        }

        var pruner = new ModelPruner(model.Parameters, Layout, SparsityTargets.Parse("D-90% & R-50% & F-40%"));
        Assert.Equal(["mlp.0.weight", "mlp.1.down.weight", "mlp.1.up.weight"],
            pruner.Tensors.Where(t => t.Component == PruningComponent.Dnn).Select(t => t.Parameter.Name));
        pruner.Prune();

        // Layer 1 (16 → 3 → 8): each factor pruned on its own, as a layer is; the k-wide table under F; the projections kept.
        Assert.Equal(MagnitudePruning.PrunedCount(16 * 3, 0.9), Zeros(model.Parameters["mlp.1.down.weight"]));
        Assert.Equal(MagnitudePruning.PrunedCount(3 * 8, 0.9), Zeros(model.Parameters["mlp.1.up.weight"]));
        Assert.Equal(0, Zeros(model.Parameters["mlp.1.down.bias"]));
        Assert.Equal(MagnitudePruning.PrunedCount(180 * 2, 0.4), Zeros(model.Parameters["embedding"]));
        Assert.Equal(0, Zeros(model.Parameters["embedding.proj.weight"]));
        Assert.Equal(0, Zeros(model.Parameters["mlp.2.weight"]));

        // An optimizer step moves every weight; the masks put the factors' pruned ones back.
        Parameter up = model.Parameters["mlp.1.up.weight"];
        bool[] pruned = [.. up.Value.Select(v => v == 0f)];
        for (int i = 0; i < up.Length; i++)
        {
            up.Value[i] += 0.25f;
        }

        pruner.ApplyMasks();
        Assert.Equal(pruned, up.Value.Select(v => v == 0f));
    }

    [Fact]
    public void RegrowStartsEachPruneFromAFreshMask()
    {
        CtrModel model = Model("deepfwfm");
        var pruner = new ModelPruner(model.Parameters, Layout, SparsityTargets.Parse("dnn=0.5"), regrow: true);
        pruner.Prune();
        Parameter w = model.Parameters["mlp.0.weight"];
        int firstPruned = Array.IndexOf(w.Value, 0f);
        w.Value[firstPruned] = 100f;
        pruner.Prune();
        Assert.Equal(100f, w.Value[firstPruned]);
        Assert.Equal(MagnitudePruning.PrunedCount(16 * 16, 0.5), Zeros(w));
    }

    [Fact]
    public void PerFieldScopePrunesEveryFieldToTheRate()
    {
        CtrModel model = Model("fwfm");
        var pruner = new ModelPruner(model.Parameters, Layout, SparsityTargets.Parse("emb=0.5"), EmbeddingPruningScope.PerField);
        pruner.Prune();
        float[] table = model.Parameters["embedding"].Value;
        for (int f = 0; f < Layout.FieldCount; f++)
        {
            int length = Layout.Sizes[f] * 4;
            Assert.Equal(MagnitudePruning.PrunedCount(length, 0.5), table.AsSpan(Layout.Offsets[f] * 4, length).ToArray().Count(v => v == 0f));
        }
    }

    [Fact]
    public void TensorTrainFieldsPruneTheRemainingTableGloballyButNotPerField()
    {
        CtrModel model = ModelRegistry.Create(new ModelConfig { Name = "deepfm", EmbeddingDim = 4, HiddenUnits = [16, 16], EmbeddingTtRank = 2, EmbeddingTtFields = 1 },
            Layout).Prepared(8);
        Assert.Contains("tensor-train", Assert.Throws<ArgumentException>(() =>
            new ModelPruner(model.Parameters, Layout, SparsityTargets.Parse("emb=0.5"), EmbeddingPruningScope.PerField)).Message);
        new ModelPruner(model.Parameters, Layout, SparsityTargets.Parse("emb=0.5")).Prune();
        Assert.Equal(MagnitudePruning.PrunedCount((50 + 7 + 3 + 1) * 4, 0.5), model.Parameters["embedding"].Value.Count(v => v == 0f));
        Assert.DoesNotContain(0f, model.Parameters["embedding.tt.2"].Value); // the cores are no pruning component
    }

    [Fact]
    public void NamingAComponentTheModelLacksIsAnError()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            new ModelPruner(Model("deepfm").Parameters, Layout, SparsityTargets.Parse("D-90% & R-90%")));
        Assert.Contains("no R component", e.Message);
    }

    [Theory]
    [InlineData("C-80%")]
    [InlineData("cin=0.8")]
    public void CinFiltersAreComponentCPrunedLayerByLayer(string targets)
    {
        CtrModel model = Model("xdeepfm", cinLayers: [6, 4, 3]);
        var pruner = new ModelPruner(model.Parameters, Layout, SparsityTargets.Parse(targets));
        Assert.All(pruner.Tensors, t => Assert.Equal(PruningComponent.Cin, t.Component));
        Assert.Equal(["cin.0.weight", "cin.1.weight", "cin.2.weight"], pruner.Tensors.Select(t => t.Parameter.Name));
        pruner.Prune();

        // W^k [H'_{k−1}·F, H_k] with F = 4 and split-half feeding 3 then 2 rows on; biases and the output unit kept.
        int[] lengths = [4 * 4 * 6, 3 * 4 * 4, 2 * 4 * 3];
        for (int k = 0; k < lengths.Length; k++)
        {
            Assert.Equal(MagnitudePruning.PrunedCount(lengths[k], 0.8), Zeros(model.Parameters[$"cin.{k}.weight"]));
            Assert.Equal(0, Zeros(model.Parameters[$"cin.{k}.bias"]));
        }

        Assert.Equal(0, Zeros(model.Parameters["cin.output.weight"]));
        Assert.Equal(0, Zeros(model.Parameters["mlp.0.weight"]));
        Assert.Equal((lengths.Sum(n => MagnitudePruning.PrunedCount(n, 0.8)), lengths.Sum()), pruner.Sparsity()[PruningComponent.Cin]);
    }

    [Fact]
    public void DnnPruningLeavesTheCinAloneAndCMasksPersist()
    {
        CtrModel model = Model("xdeepfm", cinLayers: [6, 4, 3]);
        var pruner = new ModelPruner(model.Parameters, Layout, SparsityTargets.Parse("D-90% & C-50% & F-40%"));
        pruner.Prune(0.5);
        Assert.Equal(MagnitudePruning.PrunedCount(16 * 16, 0.45), Zeros(model.Parameters["mlp.0.weight"]));
        Parameter w = model.Parameters["cin.1.weight"];
        bool[] prunedBefore = [.. w.Value.Select(v => v == 0f)];
        Assert.Equal(MagnitudePruning.PrunedCount(w.Length, 0.25), prunedBefore.Count(p => p));

        for (int i = 0; i < w.Length; i++)
        {
            w.Value[i] += 0.25f;
        }

        pruner.ApplyMasks();
        Assert.Equal(prunedBefore, w.Value.Select(v => v == 0f));
        pruner.Prune();
        Assert.All(Enumerable.Range(0, w.Length).Where(i => prunedBefore[i]), i => Assert.Equal(0f, w.Value[i]));
        Assert.Equal(MagnitudePruning.PrunedCount(w.Length, 0.5), Zeros(w));
    }

    [Fact]
    public void ModelsWithoutACinHaveNoComponentC()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            new ModelPruner(Model("deepfm").Parameters, Layout, SparsityTargets.Parse("D-90% & C-50%")));
        Assert.Contains("no C component", e.Message);
    }

    private static int Zeros(Parameter p) => p.Value.Count(v => v == 0f);

    private static double ZeroFraction(Parameter p) => Zeros(p) / (double)p.Length;
}
