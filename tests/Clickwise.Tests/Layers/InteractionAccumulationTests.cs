using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>
/// The layer contract: backward adds into dInput and parameter gradients and never overwrites them, so two backward
/// passes over one forward give twice the gradient (a shared embedding feeding several components relies on it).
/// </summary>
public sealed class InteractionAccumulationTests
{
    private const int B = 3, F = 4, D = 3;

    private static float[] Random(int n, long seed) => GradientCheck.RandomWeights(n, seed);

    private static void AssertAccumulates(Action backward, params float[][] gradients)
    {
        foreach (float[] g in gradients)
        {
            Array.Clear(g);
        }

        backward();
        float[][] once = [.. gradients.Select(g => (float[])g.Clone())];
        Assert.Contains(once, g => g.Any(v => v != 0f));
        backward();
        for (int t = 0; t < gradients.Length; t++)
        {
            float scale = Math.Max(1f, once[t].Max(Math.Abs));
            for (int i = 0; i < once[t].Length; i++)
            {
                Assert.Equal(2f * once[t][i], gradients[t][i], 1e-5f * scale);
            }
        }
    }

    private static float[][] Gradients(ParameterSet parameters, float[] dInput) => [dInput, .. parameters.Select(p => p.Grad!)];

    [Fact]
    public void StatelessProductLayers()
    {
        float[] e = Random(B * F * D, 1);
        var dE = new float[e.Length];
        var sum = new float[B * D];
        BiInteraction.Forward(e, B, F, D, sum, new float[B * D]);
        AssertAccumulates(() => BiInteraction.Backward(e, sum, Random(B * D, 2), B, F, D, dE), dE);
        AssertAccumulates(() => InnerProduct.Backward(e, Random(B * FieldPairs.Count(F), 3), B, F, D, dE), dE);

        float[] v = Random(B * F * F * D, 4);
        var dV = new float[v.Length];
        int[] rows = [.. Enumerable.Range(0, B * F)];
        AssertAccumulates(() => FieldAwareInteraction.Backward(v, rows, default, Random(B, 5), rows, B, F, D, dV, 0, 1), dV);

        const int H = 2;
        float[] w = Random(D * H * D, 6), projected = new float[B * H * D];
        var dW = new float[w.Length];
        OuterProduct.Forward(ComputeContext.Default, e, w, B, F, D, H, sum, projected, new float[B * H]);
        AssertAccumulates(() => OuterProduct.Backward(ComputeContext.Default, w, sum, projected, Random(B * H, 7), B, F, D, H,
            new float[B * H * D], new float[B * D], dE, dW), dE, dW);
    }

    [Theory]
    [InlineData("dcn")]
    [InlineData("dcnv2")]
    [InlineData("dcnv2_mix")]
    [InlineData("gdcn")]
    public void CrossNetworks(string kind)
    {
        const int X = 5;
        var parameters = new ParameterSet();
        ICrossLayers layers = kind switch
        {
            "dcn" => new DcnCrossLayers(parameters, kind, X, 2, new SeededRandom(8)),
            "dcnv2" => new DcnV2CrossLayers(parameters, kind, X, 2, new SeededRandom(8)),
            "dcnv2_mix" => new DcnV2MixtureCrossLayers(parameters, kind, X, 2, rank: 2, expertCount: 2, new SeededRandom(8)),
            _ => new GatedCrossLayers(parameters, kind, X, 2, new SeededRandom(8)),
        };
        var network = new CrossNetwork(layers).Prepare(B);
        float[] x0 = Random(B * X, 9), dOutput = Random(B * X, 10);
        var dX0 = new float[x0.Length];
        network.Forward(x0, B, new float[B * X]);
        AssertAccumulates(() => network.Backward(x0, dOutput, B, dX0), Gradients(parameters, dX0));
    }

    [Fact]
    public void FiBiNetLayers()
    {
        float[] e = Random(B * F * D, 11);
        var dE = new float[e.Length];
        var senetParameters = new ParameterSet();
        var senet = new SqueezeExcitation(senetParameters, "senet", F, D, 2, new SeededRandom(12)).Prepare(B);
        senet.Forward(e, B, new float[e.Length]);
        AssertAccumulates(() => senet.Backward(e, Random(e.Length, 13), B, dE), Gradients(senetParameters, dE));

        var bilinearParameters = new ParameterSet();
        var bilinear = new BilinearInteraction(bilinearParameters, "bilinear", BilinearKind.FieldEach, F, D, new SeededRandom(14)).Prepare(B);
        int pairs = FieldPairs.Count(F);
        bilinear.Forward(e, B, new float[B * pairs * D]);
        AssertAccumulates(() => bilinear.Backward(e, Random(B * pairs * D, 15), B, dE), Gradients(bilinearParameters, dE));
    }

    [Fact]
    public void CinAndAttention()
    {
        float[] e = Random(B * F * D, 16);
        var dE = new float[e.Length];
        var cinParameters = new ParameterSet();
        var cin = new CompressedInteractionNetwork(cinParameters, "cin", F, D, [4, 2], splitHalf: true, new SeededRandom(17)).Prepare(B);
        cin.Forward(e, B, new float[B * cin.OutputSize]);
        AssertAccumulates(() => cin.Backward(Random(B * cin.OutputSize, 18), B, dE), Gradients(cinParameters, dE));

        var attentionParameters = new ParameterSet();
        var attention = new MultiHeadSelfAttention(attentionParameters, "att", F, D, 2, 2, true, false, new SeededRandom(19)).Prepare(B);
        attention.Forward(e, B, new float[B * F * attention.OutputDim]);
        AssertAccumulates(() => attention.Backward(e, Random(B * F * attention.OutputDim, 20), B, dE), Gradients(attentionParameters, dE));
    }
}
