using Clickwise.Compression.Pruning;
using Clickwise.Data;
using Clickwise.Inference;
using Clickwise.Models;

namespace Clickwise.Tests.Inference;

/// <summary>
/// Pruned models compile into sparse plans (CSR layers where measured faster, a compact embedding table, the
/// surviving field pairs) that still compute exactly the training forward, for single requests and batches.
/// </summary>
public sealed class SparsePlanTests
{
    [Theory]
    [InlineData("deepfwfm", "D-99% & R-95% & F-40%")]
    [InlineData("deepfwfm", "D-90% & R-90% & F-90%")]
    [InlineData("deepfm", "D-80% & F-60%")]
    [InlineData("fwfm", "R-50% & F-90%")]
    [InlineData("xdeepfm", "D-90% & C-80% & F-40%")] // the pruned CIN runs dense
    public void PrunedModelsCompileToPlansThatMatchForward(string name, string sparsity)
    {
        CtrModel model = RandomModels.Create(name, maxBatchSize: 300);
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
        // Every hidden layer is timed and says which kernel serves single requests and blocks.
        Assert.Equal(RandomModels.Config("deepfwfm").HiddenUnits.Length,
            plan.Count(op => op.StartsWith("sparse dense", StringComparison.Ordinal) && op.Contains("µs dense/csr", StringComparison.Ordinal)));
        Assert.True(compiled.ParameterCount < model.Parameters.TotalLength / 5);
        Assert.True(compiled.Bytes < denseBytes, $"{compiled.Bytes} bytes pruned vs {denseBytes} dense");
    }
}
