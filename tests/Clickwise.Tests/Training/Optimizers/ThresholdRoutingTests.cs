using Clickwise.Layers;
using Clickwise.Training.Optimizers;
using static Clickwise.Tests.Training.Optimizers.AdamTests;

namespace Clickwise.Tests.Training.Optimizers;

/// <summary>OptEmbed's thresholds are routed to plain SGD with the exp(−t) penalty whatever the optimizer of the rest.</summary>
public sealed class ThresholdRoutingTests
{
    [Theory]
    [InlineData("adam")]
    [InlineData("adagrad")]
    [InlineData("ftrl")]
    public void ThresholdsTakePlainSgdWithThePenaltyAndHoldNoState(string optimizer)
    {
        Parameter t = Parameter.Dense("embedding.threshold", ParameterRole.Threshold, 2);
        Parameter w = Parameter.Dense("w", ParameterRole.DenseWeight, 2);
        float[] t0 = [0f, 1f], g = [0.5f, -0.2f];
        t0.CopyTo(t.Value, 0);
        g.CopyTo(t.Grad!, 0);
        w.Grad![0] = 1f;
        IOptimizer opt = OptimizerFactory.Create(optimizer, new OptimizerSettings
        {
            LearningRate = 0.01, L2Net = 0.5, ThresholdLearningRate = 0.1, ThresholdPenalty = 0.01,
        });
        ParameterSet set = Set(t, w);

        opt.Step(set);

        for (int i = 0; i < 2; i++)
        {
            float expected = t0[i] - (0.1f * (g[i] - (0.01f * MathF.Exp(-t0[i]))));
            Assert.Equal(expected, t.Value[i], 6);
        }

        Assert.NotEqual(0f, w.Value[0]); // the rest moved by its own rule
        Assert.DoesNotContain(opt.ExportState(set), s => s.Name.EndsWith("/embedding.threshold", StringComparison.Ordinal));
    }

    [Fact]
    public void AZeroThresholdRateFreezesThemEvenUnderThePenalty()
    {
        Parameter t = Parameter.Dense("embedding.threshold", ParameterRole.Threshold, 3);
        t.Grad![1] = 0.7f;
        new Adam(new OptimizerSettings { ThresholdPenalty = 1 }).Step(Set(t));
        Assert.Equal([0f, 0f, 0f], t.Value);
    }
}
