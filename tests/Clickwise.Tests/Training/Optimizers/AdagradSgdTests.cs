using Clickwise.Layers;
using Clickwise.Training.Optimizers;
using static Clickwise.Tests.Training.Optimizers.AdamTests;

namespace Clickwise.Tests.Training.Optimizers;

public sealed class AdagradSgdTests
{
    [Fact]
    public void AdagradTwoDenseStepsFollowTheAccumulatorFormula()
    {
        Parameter p = Parameter.Dense("w", ParameterRole.DenseWeight, 3);
        float[] w = [0.5f, -1f, 2f];
        w.CopyTo(p.Value, 0);
        var adagrad = new Adagrad(new OptimizerSettings { LearningRate = 0.1, L2Net = 0.01 });
        float[] sum = new float[3];
        float[][] grads = [[0.1f, 0.2f, -0.3f], [0.4f, 0f, 0.3f]];
        foreach (float[] g in grads)
        {
            g.CopyTo(p.Grad!, 0);
            adagrad.Step(Set(p));
            if (g == grads[0])
            {
                // From a zero accumulator the first step moves every weight by lr against its gradient's sign.
                Assert.Equal([0.4f, -1.1f, 2.1f], p.Value.Select(x => MathF.Round(x, 5)).ToArray());
            }

            for (int i = 0; i < 3; i++)
            {
                float gi = g[i] + 0.01f * w[i];
                sum[i] += gi * gi;
                w[i] -= 0.1f * gi / (MathF.Sqrt(sum[i]) + 1e-10f);
            }
        }

        Assert.Equal(w, p.Value);
        Assert.Equal(sum, adagrad.StateOf(p).Slots[0]);
    }

    [Fact]
    public void AdagradRowSparseTouchesOnlyRowsInTheGradient()
    {
        Parameter table = Parameter.RowSparse("emb", ParameterRole.Embedding, 3, 2).PrepareRowGradient(3);
        Fill(table.Value, 4);
        float[] before = table.Value.ToArray();
        table.RowGrad!.Row(1)[0] = 2f;
        new Adagrad(new OptimizerSettings { LearningRate = 0.1 }).Step(Set(table));

        Assert.Equal(before[1 * 2] - 0.1f, table.Value[1 * 2], 6);
        Assert.Equal(before[1 * 2 + 1], table.Value[1 * 2 + 1]);
        Assert.Equal(before.AsSpan(0, 2).ToArray(), table.Value.AsSpan(0, 2).ToArray());
        Assert.Equal(before.AsSpan(4, 2).ToArray(), table.Value.AsSpan(4, 2).ToArray());
    }

    [Fact]
    public void SgdStepIsLrTimesDecayedGradient()
    {
        Parameter p = Parameter.Dense("w", ParameterRole.Bias, 17);
        Fill(p.Value, 1);
        Fill(p.Grad!, 2);
        float[] w = p.Value.ToArray();
        float[] g = p.Grad!.ToArray();
        new Sgd(new OptimizerSettings { LearningRate = 0.5, L2Net = 0.25 }).Step(Set(p));
        for (int i = 0; i < w.Length; i++)
        {
            Assert.Equal(w[i] - 0.5f * (g[i] + 0.25f * w[i]), p.Value[i]);
        }
    }

    [Theory]
    [InlineData(ParameterRole.Embedding, 0.5)]
    [InlineData(ParameterRole.FirstOrder, 0.5)]
    [InlineData(ParameterRole.DenseWeight, 0.125)]
    [InlineData(ParameterRole.Bias, 0.125)]
    [InlineData(ParameterRole.FieldMatrix, 0.125)]
    [InlineData(ParameterRole.FieldLinear, 0.125)]
    public void L2CoefficientFollowsTheRole(ParameterRole role, double expectedL2)
    {
        // With a zero gradient SGD's step is pure decay: w ← w − lr·λ·w, λ picked by role.
        var settings = new OptimizerSettings { LearningRate = 1, L2Embedding = 0.5, L2Net = 0.125 };
        Assert.Equal((float)expectedL2, settings.L2For(role));
        Parameter p = Parameter.Dense("w", role, 2);
        p.Value[0] = 1f;
        p.Value[1] = -4f;
        new Sgd(settings).Step(Set(p));
        Assert.Equal([1f - (float)expectedL2, -4f + 4f * (float)expectedL2], p.Value);
    }

    [Fact]
    public void L2DecaysOnlyTouchedRowsOfASparseTable()
    {
        Parameter table = Parameter.RowSparse("fo", ParameterRole.FirstOrder, 3, 1).PrepareRowGradient(3);
        table.Value.AsSpan().Fill(2f);
        table.RowGrad!.Row(1)[0] = 0f;
        new Sgd(new OptimizerSettings { LearningRate = 1, L2Embedding = 0.25 }).Step(Set(table));
        Assert.Equal([2f, 1.5f, 2f], table.Value);
    }

    [Fact]
    public void FactoryRejectsUnknownNamesListingTheKnownOnes()
    {
        Assert.IsType<Adam>(OptimizerFactory.Create("adam", new OptimizerSettings()));
        Assert.IsType<Sgd>(OptimizerFactory.Create("sgd", new OptimizerSettings()));
        var e = Assert.Throws<ArgumentException>(() => OptimizerFactory.Create("adamw", new OptimizerSettings()));
        Assert.Contains("adam, adagrad, sgd", e.Message);
    }
}
