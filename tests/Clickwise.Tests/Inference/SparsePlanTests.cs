using Clickwise.Compression.Pruning;
using Clickwise.Data;
using Clickwise.Inference;
using Clickwise.Models;

namespace Clickwise.Tests.Inference;

/// <summary>
/// Pruned models compile into sparse plans (sparse layers or the live sub-network where measured faster, a compact embedding table, the
/// surviving field pairs) that still compute exactly the training forward, for single requests and batches.
/// </summary>
public sealed class SparsePlanTests
{
    [Theory]
    [InlineData("deepfwfm", "D-99% & R-95% & F-40%", 5)]
    [InlineData("deepfwfm", "D-99% & R-95% & F-40%", 10)]
    [InlineData("deepfwfm", "D-90% & R-90% & F-90%", 5)]
    [InlineData("deepfwfm", "D-90% & R-90% & F-90%", 19)]
    [InlineData("deepfm", "D-80% & F-60%", 5)]
    [InlineData("fwfm", "R-50% & F-90%", 5)]
    [InlineData("fwfm", "R-80%", 8)]
    [InlineData("fwfm", "R-80%", 10)]
    [InlineData("xdeepfm", "D-90% & C-80% & F-40%", 5)] // the pruned CIN runs dense
    public void PrunedModelsCompileToPlansThatMatchForward(string name, string sparsity, int embeddingDim)
    {
        CtrModel model = RandomModels.Create(name, maxBatchSize: 300, embeddingDim: embeddingDim);
        new ModelPruner(model.Parameters, RandomModels.Layout, SparsityTargets.Parse(sparsity)).Prune();
        CompiledModel compiled = CompiledModel.Compile(model);

        foreach (int size in new[] { 1, 300 })
        {
            for (int seed = 0; seed < 3; seed++)
            {
                Batch batch = RandomModels.Batch(size, withValues: seed == 1, seed);
                float[] expected = RandomModels.ForwardLogits(model, batch);
                float[] actual = new float[size];
                compiled.PredictLogits(batch.IdsInUse, batch.HasValues ? batch.ValuesInUse : default, size, actual, compiled.CreateTape(size));
                RandomModels.AssertClose(expected, actual, $"{name} {sparsity} batch {size} seed {seed}");
            }
        }
    }

    [Theory]
    [InlineData("deepfm", null, PlanObjective.Speed)]
    [InlineData("deepfm", "D-80% & F-60%", PlanObjective.Speed)]
    [InlineData("ipnn", "D-90%", PlanObjective.Memory)]
    public void TanhNetworksCompileToDenseTanhLayersThatMatchForward(string name, string? sparsity, PlanObjective objective)
    {
        var config = RandomModels.Config(name) with { Activation = Clickwise.Layers.Activation.Tanh };
        CtrModel model = ModelRegistry.Create(config, RandomModels.Layout).Prepared(300);
        var random = new Clickwise.Layers.SeededRandom(8);
        foreach (var p in model.Parameters)
        {
            random.FillUniform(p.Value, 0.5);
        }

        if (sparsity is not null)
        {
            new ModelPruner(model.Parameters, RandomModels.Layout, SparsityTargets.Parse(sparsity)).Prune();
        }

        CompiledModel compiled = CompiledModel.Compile(model, objective: objective);
        IReadOnlyList<string> plan = compiled.Describe();
        // The live sub-network and the sparse layer kernels assume ReLU: every hidden layer stays dense with a tanh epilogue.
        Assert.Equal(config.HiddenUnits.Length, plan.Count(d => d.StartsWith("dense ", StringComparison.Ordinal) && d.Contains(" tanh ", StringComparison.Ordinal)));
        Assert.DoesNotContain(plan, d => d.Contains("relu", StringComparison.Ordinal) || d.Contains("sparse mlp", StringComparison.Ordinal));
        foreach (int size in new[] { 1, 7, 300 })
        {
            Batch batch = RandomModels.Batch(size, withValues: size == 7, seed: size);
            float[] expected = RandomModels.ForwardLogits(model, batch);
            float[] actual = new float[size];
            compiled.PredictLogits(batch.IdsInUse, batch.HasValues ? batch.ValuesInUse : default, size, actual, compiled.CreateTape(size));
            RandomModels.AssertClose(expected, actual, $"{name} tanh {sparsity} batch {size}");
        }
    }

    [Fact]
    public void HighlyPrunedWeightsBecomeSparseOpsAndTheTableShrinks()
    {
        CtrModel model = RandomModels.Create("deepfwfm", maxBatchSize: 8);
        long denseBytes = CompiledModel.Compile(model).Bytes;
        new ModelPruner(model.Parameters, RandomModels.Layout, SparsityTargets.Parse("D-99% & R-95% & F-90%")).Prune();
        CompiledModel compiled = CompiledModel.Compile(model);

        IReadOnlyList<string> plan = compiled.Describe();
        Assert.Contains(plan, op => op.StartsWith("compact embedding gather", StringComparison.Ordinal));
        Assert.Contains(plan, op => op.StartsWith("fwfm pairs sparse", StringComparison.Ordinal));
        // The DNN is timed layer by layer and as its live sub-network, and the plan records both times.
        Assert.Contains(plan, op => op.Contains("sparse mlp", StringComparison.Ordinal)
            && op.Contains("live sub-network", StringComparison.Ordinal) && op.Contains("layers", StringComparison.Ordinal));
        Assert.True(compiled.ParameterCount < model.Parameters.TotalLength / 5);
        Assert.True(compiled.Bytes < denseBytes, $"{compiled.Bytes} bytes pruned vs {denseBytes} dense");
    }

    [Theory]
    [InlineData("deepfwfm", "D-90% & R-90% & F-90%")]
    [InlineData("deepfwfm", null)]
    [InlineData("deepfm", "D-80% & F-60%")]
    public void TheSmallestPlanComputesTheSameAndHoldsFewerBytes(string name, string? sparsity)
    {
        CtrModel model = RandomModels.Create(name, maxBatchSize: 300, embeddingDim: 10);
        if (sparsity is not null)
        {
            new ModelPruner(model.Parameters, RandomModels.Layout, SparsityTargets.Parse(sparsity)).Prune();
        }

        CompiledModel fastest = CompiledModel.Compile(model);
        CompiledModel smallest = CompiledModel.Compile(model, objective: PlanObjective.Memory);

        foreach (int size in new[] { 1, 300 })
        {
            Batch batch = RandomModels.Batch(size, withValues: false, seed: size);
            float[] expected = RandomModels.ForwardLogits(model, batch);
            float[] actual = new float[size];
            smallest.PredictLogits(batch.IdsInUse, default, size, actual, smallest.CreateTape(size));
            RandomModels.AssertClose(expected, actual, $"{name} {sparsity} smallest plan, batch {size}");
        }

        // An unpruned plan drops its batch-1 copies of the dense layers; a pruned one may already be smallest when fastest.
        Assert.True(sparsity is null ? smallest.Bytes < fastest.Bytes : smallest.Bytes <= fastest.Bytes,
            $"smallest {smallest.Bytes} bytes vs fastest {fastest.Bytes}");
        if (sparsity is not null)
        {
            Assert.Contains(smallest.Describe(), op => op.StartsWith("sparse mlp", StringComparison.Ordinal));
            // Dense parameters take 4 bytes each; the pruned plan holds less than what its surviving weights would densely.
            Assert.True(smallest.Bytes < 4L * model.Parameters.TotalLength, $"{smallest.Bytes} bytes vs {4L * model.Parameters.TotalLength} dense");
        }
    }

    [Theory]
    [InlineData("deepfwfm", "D-90% & R-90% & F-40%", true)]
    [InlineData("deepfwfm", "D-90% & R-90% & F-40%", false)]
    [InlineData("deepfm", "D-90% & F-40%", true)]
    public void PrunedLowRankFactorsArePlannedSparseAndMatchTheDensePlan(string name, string sparsity, bool innerRelu)
    {
        // Both hidden layers low-rank (13 → 4 → 13, 13 → 3 → 7) over rank-2 compressed embeddings, every factor pruned to 90%.
        ModelConfig config = RandomModels.Config(name) with { MlpRanks = [4, 3], MlpInnerRelu = innerRelu, EmbeddingRank = 2 };
        CtrModel model = RandomModels.Perturbed(config, seed: 12);
        new ModelPruner(model.Parameters, RandomModels.Layout, SparsityTargets.Parse(sparsity)).Prune();
        CompiledModel dense = CompiledModel.Compile(model, sparse: false);
        CompiledModel fastest = CompiledModel.Compile(model), smallest = CompiledModel.Compile(model, objective: PlanObjective.Memory);

        foreach (CompiledModel plan in new[] { fastest, smallest })
        {
            for (int seed = 0; seed < 2; seed++)
            {
                Batch batch = RandomModels.Batch(200, withValues: seed == 1, seed);
                ReadOnlySpan<float> values = batch.HasValues ? batch.ValuesInUse : default;
                float[] expected = new float[200], actual = new float[200], single = new float[200];
                dense.PredictLogits(batch.IdsInUse, values, 200, expected, dense.CreateTape(200));
                plan.PredictLogits(batch.IdsInUse, values, 200, actual, plan.CreateTape(200));
                InferenceTape one = plan.CreateTape(1);
                int f = batch.FieldCount;
                for (int b = 0; b < 200; b++)
                {
                    plan.PredictLogits(batch.IdsInUse.Slice(b * f, f), values.IsEmpty ? default : values.Slice(b * f, f), 1, single.AsSpan(b, 1), one);
                }

                RandomModels.AssertClose(expected, actual, $"{name} relu {innerRelu} batch 200 seed {seed}", tolerance: 1e-5f);
                RandomModels.AssertClose(expected, single, $"{name} relu {innerRelu} batch 1 seed {seed}", tolerance: 1e-5f);
            }
        }

        string relu = innerRelu ? " relu" : "";
        (string Shape, string Epilogue)[] factors = [("4x13", " relu"), ("13x3", relu), ("3x7", " relu")];
        foreach ((string shape, string epilogue) in factors)
        {
            string layer = $"{shape}{epilogue} ";
            // The fastest plan timed each factor against the sparse formats (dense may win such tiny layers; the times are kept)...
            Assert.Contains(fastest.Describe(), op => op.Contains($"dense {layer}", StringComparison.Ordinal)
                && op.Contains("µs batch 1 / 256 rows: dense", StringComparison.Ordinal));
            // ...and the smallest plan holds each one in a sparse format.
            Assert.Contains(smallest.Describe(), op => op.StartsWith($"sparse dense {layer}", StringComparison.Ordinal));
        }

        // The first down factor reads the 8·5 projected columns in its pruned form (16 of 160 weights, timed like the others), or
        // the 8·2 compressed ones through the projection folded in (64 weights, zero only where a field's rows were all pruned),
        // whichever ran faster (is smaller).
        foreach (CompiledModel plan in new[] { fastest, smallest })
        {
            Assert.Contains(plan.Describe(), op => op.Contains($"dense 40x4{relu} ", StringComparison.Ordinal) && op.Contains("µs batch 1", StringComparison.Ordinal)
                || op.StartsWith($"sparse dense 40x4{relu} ", StringComparison.Ordinal) || op.Contains($"dense 16x4{relu} ", StringComparison.Ordinal));
        }

        Assert.True(smallest.ParameterCount < dense.ParameterCount, $"{smallest.ParameterCount} served parameters vs {dense.ParameterCount} dense");
    }

    [Fact]
    public void AnUnprunedFirstLayerStillFoldsTheProjectionInASparsePlan()
    {
        ModelConfig config = RandomModels.Config("deepfwfm") with { EmbeddingRank = 2 };
        CtrModel model = RandomModels.Perturbed(config, seed: 13);
        new ModelPruner(model.Parameters, RandomModels.Layout, SparsityTargets.Parse("R-90% & F-40%")).Prune();
        CompiledModel compiled = CompiledModel.Compile(model);
        // The first layer reads the 8·2 compressed columns, not the 8·5 projected ones.
        Assert.Contains(compiled.Describe(), op => op.StartsWith("dense 16x13 relu", StringComparison.Ordinal));
        Assert.DoesNotContain(compiled.Describe(), op => op.Contains("40x13", StringComparison.Ordinal));
    }
}
