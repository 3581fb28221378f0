using Clickwise.Layers;
using Clickwise.Training.Optimizers;
using static Clickwise.Tests.Training.Optimizers.AdamTests;

namespace Clickwise.Tests.Training.Optimizers;

/// <summary>FTRL-Proximal against McMahan et al. 2013's Algorithm 1, by hand and in double.</summary>
public sealed class FtrlTests
{
    [Fact]
    public void FirstStepIsTheClosedFormByHand()
    {
        // α = 0.1, β = 1, from w = 0, g = 0.5: n = 0.25, σ = 0.5/0.1 = 5, z = 0.5 − 5·0 = 0.5,
        // w = −0.5 / ((1 + √0.25)/0.1) = −1/30.
        Parameter p = Parameter.Dense("w", ParameterRole.DenseWeight, 1);
        p.Grad![0] = 0.5f;
        var ftrl = new Ftrl(new OptimizerSettings { LearningRate = 0.1 });
        ftrl.Step(Set(p));
        Assert.Equal(-1.0 / 30, p.Value[0], 7);
        Assert.Equal([0.5f], ftrl.StateOf(p).Slots[0]);
        Assert.Equal([0.25f], ftrl.StateOf(p).Slots[1]);
    }

    [Fact]
    public void ThreeStepsFollowAlgorithmOneInDouble()
    {
        const double alpha = 0.05, beta = 0.5, l1 = 0.01, l2 = 0.2;
        Parameter p = Parameter.Dense("w", ParameterRole.DenseWeight, 4);
        float[] start = [0.3f, -0.2f, 0f, 1f];
        start.CopyTo(p.Value, 0);
        var ftrl = new Ftrl(new OptimizerSettings { LearningRate = alpha, FtrlBeta = beta, L1 = l1, L2Net = l2 });
        double[] w = [.. start.Select(v => (double)v)], z = new double[4], n = new double[4];
        float[][] grads = [[0.4f, -0.3f, 0.005f, 0.2f], [-0.1f, -0.2f, 0.004f, 0.3f], [0.2f, 0.1f, -0.002f, -0.6f]];
        foreach (float[] g in grads)
        {
            g.CopyTo(p.Grad!, 0);
            ftrl.Step(Set(p));
            for (int i = 0; i < 4; i++)
            {
                double sigma = (Math.Sqrt(n[i] + g[i] * (double)g[i]) - Math.Sqrt(n[i])) / alpha;
                z[i] += g[i] - sigma * w[i];
                n[i] += g[i] * (double)g[i];
                w[i] = Math.Abs(z[i]) <= l1 ? 0 : -(z[i] - Math.Sign(z[i]) * l1) / ((beta + Math.Sqrt(n[i])) / alpha + l2);
            }

            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(w[i], p.Value[i], 5);
            }
        }

        // The third coordinate's gradients sum to |z| = 0.007 < λ1: L1 holds it at exactly zero.
        Assert.Equal(0f, p.Value[2]);
        Assert.All([0, 1, 3], i => Assert.NotEqual(0f, p.Value[i]));
    }

    [Fact]
    public void RowSparseTouchesOnlyRowsInTheGradient()
    {
        Parameter table = Parameter.RowSparse("fo", ParameterRole.FirstOrder, 3, 1).PrepareRowGradient(3);
        table.Value.AsSpan().Fill(0.5f);
        table.RowGrad!.Row(1)[0] = 0.5f;
        var ftrl = new Ftrl(new OptimizerSettings { LearningRate = 0.1 });
        ftrl.Step(Set(table));

        // Row 1 from w = 0.5: σ = 5, z = 0.5 − 2.5 = −2, w = 2/15.
        Assert.Equal(0.5f, table.Value[0]);
        Assert.Equal(2.0 / 15, table.Value[1], 6);
        Assert.Equal(0.5f, table.Value[2]);
        Assert.Equal([0f, 0.25f, 0f], ftrl.StateOf(table).Slots[1]);
    }

    [Fact]
    public void FactoryCreatesItByName() =>
        Assert.IsType<Ftrl>(OptimizerFactory.Create("ftrl", new OptimizerSettings()));
}
