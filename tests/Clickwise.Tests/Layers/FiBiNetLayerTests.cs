using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>FiBiNet's SENET re-weighting and bilinear interaction: definitions in double and gradient checks.</summary>
public sealed class FiBiNetLayerTests(ITestOutputHelper output)
{
    private const int B = 3, F = 6, D = 4;

    [Fact]
    public void SenetReweightsFieldsByTheExcitedMeans()
    {
        var parameters = new ParameterSet();
        var senet = new SqueezeExcitation(parameters, "senet", F, D, reductionRatio: 2, new SeededRandom(1)).Prepare(B);
        Assert.Equal(3, senet.ReducedCount);
        float[] e = GradientCheck.RandomWeights(B * F * D, 2);
        var y = new float[e.Length];
        senet.Forward(e, B, y);
        float[] w1 = parameters["senet.squeeze"].Value, w2 = parameters["senet.excite"].Value;
        int r = senet.ReducedCount;
        for (int b = 0; b < B; b++)
        {
            double[] z = [.. Enumerable.Range(0, F).Select(f => Enumerable.Range(0, D).Average(d => (double)e[(b * F + f) * D + d]))];
            double[] h = [.. Enumerable.Range(0, r).Select(k => Math.Max(0, Enumerable.Range(0, F).Sum(f => z[f] * w1[f * r + k])))];
            double[] a = [.. Enumerable.Range(0, F).Select(f => Math.Max(0, Enumerable.Range(0, r).Sum(k => h[k] * w2[k * F + f])))];
            for (int f = 0; f < F; f++)
            {
                for (int d = 0; d < D; d++)
                {
                    Assert.Equal(a[f] * e[(b * F + f) * D + d], y[(b * F + f) * D + d], 1e-5);
                }
            }
        }
    }

    [Fact]
    public void SenetGradient()
    {
        var parameters = new ParameterSet();
        var senet = new SqueezeExcitation(parameters, "senet", F, D, reductionRatio: 2, new SeededRandom(3)).Prepare(B);
        float[] e = GradientCheck.RandomWeights(B * F * D, 4), r = GradientCheck.RandomWeights(B * F * D, 5);
        var y = new float[e.Length];
        double Loss()
        {
            senet.Forward(e, B, y);
            return GradientCheck.Dot(y, r);
        }

        Loss();
        var dE = new float[e.Length];
        senet.Backward(e, r, B, dE);
        // A small step keeps the ReLUs on one side of their kinks.
        GradientCheck.Check("senet.embeddings", e, dE, Loss, eps: 1e-3f, output: output);
        GradientCheck.CheckParameters(parameters, Loss, eps: 1e-3f, output: output);
    }

    [Theory]
    [InlineData(BilinearKind.FieldAll, 1)]
    [InlineData(BilinearKind.FieldEach, F - 1)]
    [InlineData(BilinearKind.FieldInteraction, F * (F - 1) / 2)]
    public void BilinearMatchesTheDefinition(BilinearKind kind, int matrices)
    {
        var parameters = new ParameterSet();
        var bilinear = new BilinearInteraction(parameters, "bilinear", kind, F, D, new SeededRandom(6)).Prepare(B);
        float[] w = parameters["bilinear.weight"].Value;
        Assert.Equal(matrices * D * D, w.Length);
        float[] e = GradientCheck.RandomWeights(B * F * D, 7);
        int pairs = FieldPairs.Count(F);
        var y = new float[B * pairs * D];
        bilinear.Forward(e, B, y);
        for (int b = 0; b < B; b++)
        {
            for (int i = 0; i < F; i++)
            {
                for (int j = i + 1; j < F; j++)
                {
                    int p = FieldPairs.Index(i, j, F);
                    int m = kind switch { BilinearKind.FieldAll => 0, BilinearKind.FieldEach => i, _ => p };
                    for (int c = 0; c < D; c++)
                    {
                        double vw = 0;
                        for (int k = 0; k < D; k++)
                        {
                            vw += (double)e[(b * F + i) * D + k] * w[(m * D + k) * D + c];
                        }

                        Assert.Equal(vw * e[(b * F + j) * D + c], y[(b * pairs + p) * D + c], 1e-5);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(BilinearKind.FieldAll)]
    [InlineData(BilinearKind.FieldEach)]
    [InlineData(BilinearKind.FieldInteraction)]
    public void BilinearGradient(BilinearKind kind)
    {
        var parameters = new ParameterSet();
        var bilinear = new BilinearInteraction(parameters, "bilinear", kind, F, D, new SeededRandom(8)).Prepare(B);
        int pairs = FieldPairs.Count(F);
        float[] e = GradientCheck.RandomWeights(B * F * D, 9), r = GradientCheck.RandomWeights(B * pairs * D, 10);
        var y = new float[r.Length];
        double Loss()
        {
            bilinear.Forward(e, B, y);
            return GradientCheck.Dot(y, r);
        }

        Loss();
        var dE = new float[e.Length];
        bilinear.Backward(e, r, B, dE);
        GradientCheck.Check($"bilinear[{kind}].embeddings", e, dE, Loss, output: output);
        GradientCheck.CheckParameters(parameters, Loss, output: output);
    }
}
