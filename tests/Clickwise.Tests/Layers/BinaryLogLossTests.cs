using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

public sealed class BinaryLogLossTests
{
    [Fact]
    public void MatchesNaiveFormulaAndGradientForModerateLogits()
    {
        float[] logits = [-2f, 0f, 0.5f, 3f];
        float[] labels = [0f, 1f, 1f, 0f];
        float[] d = new float[4];
        double mean = BinaryLogLoss.Forward(logits, labels, 4, d);

        double expected = 0;
        for (int i = 0; i < 4; i++)
        {
            double p = 1 / (1 + Math.Exp(-logits[i]));
            expected += -(labels[i] * Math.Log(p) + (1 - labels[i]) * Math.Log(1 - p));
            Assert.Equal((p - labels[i]) / 4, d[i], 6);
        }

        Assert.Equal(expected / 4, mean, 12);
        Assert.Equal(Math.Log(2), BinaryLogLoss.Forward([0f], [1f], 1, new float[1]), 15);
        Assert.Equal(0, BinaryLogLoss.Forward([], [], 0, []));
    }

    [Fact]
    public void StaysFiniteAndExactForHugeLogits()
    {
        float[] d = new float[2];
        double mean = BinaryLogLoss.Forward([100f, -100f], [0f, 0f], 2, d);
        Assert.Equal((100 + Math.Log(1 + Math.Exp(-100))) / 2, mean, 10);
        Assert.Equal(0.5f, d[0]);
        Assert.InRange(d[1], 0f, 1e-40f); // σ(−100)/2 is subnormal, not NaN
        Assert.True(double.IsNaN(BinaryLogLoss.Forward([float.NaN], [1f], 1, new float[1])));
    }
}
