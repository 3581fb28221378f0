using Clickwise.Data;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Tests.Inference;
using Clickwise.Training.Optimizers;

namespace Clickwise.Tests.Training.Optimizers;

/// <summary>Tensor-train cores are dense parameters with the embedding L2: every optimizer updates them in full, the placeholder row stays zero.</summary>
public sealed class TensorTrainCoreUpdateTests
{
    [Fact]
    public void AdamsFirstStepOnTheCoresIsItsDenseArithmeticWithTheEmbeddingL2()
    {
        const double lr = 0.01, l2 = 0.1;
        CtrModel model = Model();
        (float[] before, float[] grad) = Step(model, OptimizerFactory.Create("adam", new OptimizerSettings { LearningRate = lr, L2Embedding = l2, L2Net = 0 }));
        float[] after = model.Parameters.Single(p => p.Name == "embedding.tt.5").Value;
        for (int i = 0; i < after.Length; i++)
        {
            // Step 1: m̂ = g, v̂ = g², so w ← w − lr·g/(|g| + 1e-8) with g = ∂L/∂w + λ·w.
            double g = grad[i] + l2 * before[i];
            double expected = before[i] - lr * g / (Math.Abs(g) + 1e-8);
            Assert.True(Math.Abs(after[i] - expected) <= 1e-6, $"core entry {i}: {after[i]} vs {expected}");
        }
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adagrad")]
    [InlineData("sgd")]
    [InlineData("ftrl")]
    public void EveryOptimizerMovesTheCoresAndKeepsThePlaceholderZero(string optimizer)
    {
        CtrModel model = Model();
        IOptimizer step = OptimizerFactory.Create(optimizer, new OptimizerSettings { LearningRate = 0.01, L2Embedding = 0.1, L2Net = 0.1 });
        (float[] before, _) = Step(model, step);
        Step(model, step);
        Assert.NotEqual(before, model.Parameters.Single(p => p.Name == "embedding.tt.5").Value);
        Parameter table = model.Parameters.Single(p => p.Name == "embedding");
        Assert.All(table.Value.AsSpan((table.RowCount - 1) * table.RowWidth).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void CoresTakeTheEmbeddingL2() =>
        Assert.Equal(0.25f, new OptimizerSettings { L2Embedding = 0.25, L2Net = 0.5 }.L2For(ParameterRole.TensorTrainCore));

    /// <summary>Two train fields (f: 11 rows, b: 9) of a DeepFM over random rows with values.</summary>
    private static CtrModel Model() =>
        ModelRegistry.Create(RandomModels.Config("deepfm") with { EmbeddingTtRank = 3 }, RandomModels.Layout).Prepared(40);

    /// <summary>One training step; the cores of field f before it and their gradient.</summary>
    private static (float[] Before, float[] Grad) Step(CtrModel model, IOptimizer optimizer)
    {
        Batch batch = RandomModels.Batch(40, withValues: true, seed: 3);
        var logits = new float[40];
        model.Parameters.ZeroGrad();
        model.Forward(batch, logits, training: true);
        model.Backward(batch, Layers.GradientCheck.RandomWeights(40, 4));
        Parameter cores = model.Parameters.Single(p => p.Name == "embedding.tt.5");
        (float[] before, float[] grad) = (cores.Value.ToArray(), cores.Grad!.ToArray());
        optimizer.Step(model.Parameters);
        return (before, grad);
    }
}
