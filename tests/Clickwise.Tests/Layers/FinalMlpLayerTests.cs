using System.Text.Json;
using Clickwise.Layers;
using Clickwise.Tests.Models;

namespace Clickwise.Tests.Layers;

/// <summary>
/// FinalMLP's layers: the feature-selection gate and the multi-head bilinear fusion, by definition and by gradient
/// check (the Mlp without its output unit is in <see cref="LayerGradientTests"/>), then composed by hand (embedding → two gates → two stream Mlps → fusion +
/// bias) against the PyTorch fixture tools/reference/golden_zoo_finalmlp.py writes.
/// </summary>
public sealed class FinalMlpLayerTests(ITestOutputHelper output)
{
    private const int B = 5, F = 4, D = 3, W = F * D;

    [Fact]
    public void GateIsTwiceTheSigmoidOfTheContextMlpAndScalesEveryRow()
    {
        var parameters = new ParameterSet();
        var gate = new FeatureSelectionGate(parameters, "fs", D, [4], W, new SeededRandom(1)).Prepare(B);
        Assert.Equal(["fs.context", "fs.0.weight", "fs.0.bias", "fs.1.weight", "fs.1.bias"], parameters.Select(p => p.Name));
        Assert.All(parameters["fs.context"].Value, v => Assert.Equal(0f, v));
        GradientCheck.RandomizeBiases(parameters);
        float[] c = parameters["fs.context"].Value, w0 = parameters["fs.0.weight"].Value, b0 = parameters["fs.0.bias"].Value;
        float[] w1 = parameters["fs.1.weight"].Value, b1 = parameters["fs.1.bias"].Value;
        float[] e = GradientCheck.RandomWeights(B * W, 2);
        var x = new float[e.Length];
        gate.Forward(e, B, x);

        double[] h = [.. Enumerable.Range(0, 4).Select(k => Math.Max(0, b0[k] + Enumerable.Range(0, D).Sum(i => (double)c[i] * w0[i * 4 + k])))];
        for (int j = 0; j < W; j++)
        {
            double g = 2 / (1 + Math.Exp(-(b1[j] + Enumerable.Range(0, 4).Sum(k => h[k] * w1[k * W + j]))));
            Assert.Equal(g, gate.Gate[j], 1e-6);
            for (int b = 0; b < B; b++)
            {
                Assert.Equal(g * e[b * W + j], x[b * W + j], 1e-6);
            }
        }

        Assert.Equal(gate.Gate.ToArray(), gate.ComputeGate());
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 4 })]
    [InlineData(new[] { 5, 3 })]
    public void GateGradient(int[] hidden)
    {
        var parameters = new ParameterSet();
        var gate = new FeatureSelectionGate(parameters, "fs", D, hidden, W, new SeededRandom(3)).Prepare(B);
        LiveGate(parameters);
        float[] e = GradientCheck.RandomWeights(B * W, 4), r = GradientCheck.RandomWeights(B * W, 5);
        var x = new float[e.Length];
        double Loss()
        {
            gate.Forward(e, B, x);
            return GradientCheck.Dot(x, r);
        }

        Loss();
        var dE = new float[e.Length];
        gate.Backward(e, r, B, dE);
        // The gate path is smooth but its gradients are small (σ' ≤ 1/4 per layer): a larger step keeps the float32 loss
        // rounding below the tolerance, and positive hidden biases keep the ReLUs away from their kinks.
        GradientCheck.Check("fs.embeddings", e, dE, Loss, output: output);
        GradientCheck.CheckParameters(parameters, Loss, output: output);
    }

    /// <summary>A non-zero context (at zero the hidden ReLUs sit on their kink) and biases in [0.1, 0.5], so hidden units live.</summary>
    private static void LiveGate(ParameterSet parameters)
    {
        var random = new SeededRandom(29);
        random.FillUniform(parameters["fs.context"].Value, 1.0);
        foreach (Parameter p in parameters.Where(p => p.Role == ParameterRole.Bias && p.Name != "fs.context"))
        {
            random.FillUniform(p.Value, 0.2);
            for (int i = 0; i < p.Length; i++)
            {
                p.Value[i] += 0.3f;
            }
        }
    }

    [Fact]
    public void GateBackwardAccumulates()
    {
        var parameters = new ParameterSet();
        var gate = new FeatureSelectionGate(parameters, "fs", D, [4], W, new SeededRandom(6)).Prepare(B);
        LiveGate(parameters);
        float[] e = GradientCheck.RandomWeights(B * W, 7), r = GradientCheck.RandomWeights(B * W, 8);
        gate.Forward(e, B, new float[e.Length]);
        var once = new float[e.Length];
        gate.Backward(e, r, B, once);
        float[] bias = [.. parameters["fs.1.bias"].Grad!], context = [.. parameters["fs.context"].Grad!];
        Assert.Contains(context, v => v != 0f);
        var twice = (float[])once.Clone();
        gate.Backward(e, r, B, twice);
        Assert.Equal(once.Select(v => 2 * v), twice);
        Assert.Equal(bias.Select(v => 2 * v), parameters["fs.1.bias"].Grad!);
        Assert.Equal(context.Select(v => 2 * v), parameters["fs.context"].Grad!, (a, b) => Math.Abs(a - b) <= 1e-6f * Math.Max(1f, Math.Abs(a)));
    }

    [Theory]
    [InlineData(4, 4, 1)]
    [InlineData(4, 6, 2)]
    [InlineData(6, 9, 3)]
    public void FusionMatchesTheDefinition(int xSize, int ySize, int heads)
    {
        var parameters = new ParameterSet();
        var fusion = new BilinearFusion(parameters, "fusion", xSize, ySize, heads, new SeededRandom(9)).Prepare(B);
        Assert.Equal(["fusion.x.weight", "fusion.y.weight", "fusion.xy.weight"], parameters.Select(p => p.Name));
        Assert.Equal([heads, xSize / heads, ySize / heads], parameters["fusion.xy.weight"].Shape);
        float[] wx = parameters["fusion.x.weight"].Value, wy = parameters["fusion.y.weight"].Value, w = parameters["fusion.xy.weight"].Value;
        float[] x = GradientCheck.RandomWeights(B * xSize, 10), y = GradientCheck.RandomWeights(B * ySize, 11);
        var z = new float[B];
        fusion.Forward(x, y, B, z);
        int hx = xSize / heads, hy = ySize / heads;
        for (int b = 0; b < B; b++)
        {
            double expected = Enumerable.Range(0, xSize).Sum(i => (double)x[b * xSize + i] * wx[i])
                + Enumerable.Range(0, ySize).Sum(j => (double)y[b * ySize + j] * wy[j]);
            for (int h = 0; h < heads; h++)
            {
                for (int i = 0; i < hx; i++)
                {
                    for (int j = 0; j < hy; j++)
                    {
                        expected += (double)x[b * xSize + h * hx + i] * w[(h * hx + i) * hy + j] * y[b * ySize + h * hy + j];
                    }
                }
            }

            Assert.Equal(expected, z[b], 1e-5);
        }
    }

    [Theory]
    [InlineData(4, 4, 1)]
    [InlineData(4, 6, 2)]
    [InlineData(6, 9, 3)]
    public void FusionGradient(int xSize, int ySize, int heads)
    {
        var parameters = new ParameterSet();
        var fusion = new BilinearFusion(parameters, "fusion", xSize, ySize, heads, new SeededRandom(12)).Prepare(B);
        float[] x = GradientCheck.RandomWeights(B * xSize, 13), y = GradientCheck.RandomWeights(B * ySize, 14);
        float[] r = GradientCheck.RandomWeights(B, 15);
        var z = new float[B];
        double Loss()
        {
            fusion.Forward(x, y, B, z);
            return GradientCheck.Dot(z, r);
        }

        Loss();
        float[] dX = GradientCheck.RandomWeights(x.Length, 16), dY = GradientCheck.RandomWeights(y.Length, 17);
        float[] dX0 = [.. dX], dY0 = [.. dY];
        fusion.Backward(x, y, r, B, dX, dY);
        // Backward accumulates: check what it added to the random starting values.
        float[] addedX = [.. dX.Select((v, i) => v - dX0[i])], addedY = [.. dY.Select((v, i) => v - dY0[i])];
        GradientCheck.Check("fusion.x", x, addedX, Loss, output: output);
        GradientCheck.Check("fusion.y", y, addedY, Loss, output: output);
        GradientCheck.CheckParameters(parameters, Loss, output: output);
    }

    /// <summary>
    /// The fixture's model built from the layers by hand: e = embedding[ids]·values, x_s = gate_s(e), o_s = mlp_s(x_s),
    /// z = bias + fusion(o1, o2); logits, loss and every gradient on batch 0 against PyTorch.
    /// </summary>
    [Fact]
    public void ComposedLayersMatchThePyTorchFixture()
    {
        GoldenFixture fixture = GoldenFixture.Load("finalmlp");
        JsonElement root = fixture.Root;
        int[] fieldSizes = GoldenFixture.Ints(root.GetProperty("field_sizes"));
        int f = fieldSizes.Length, d = root.GetProperty("embedding_dim").GetInt32(), width = f * d, v = fieldSizes.Sum();
        int b = fixture.BatchSize, heads = root.GetProperty("num_heads").GetInt32();
        int[] fsHidden = GoldenFixture.Ints(root.GetProperty("fs_hidden_units"));
        int[] mlp1Hidden = GoldenFixture.Ints(root.GetProperty("mlp1_hidden_units"));
        int[] mlp2Hidden = GoldenFixture.Ints(root.GetProperty("mlp2_hidden_units"));

        // Registration order of the future model: embedding, bias, fs1, fs2, mlp1, mlp2, fusion.
        var parameters = new ParameterSet();
        Parameter embedding = parameters.Add(Parameter.RowSparse("embedding", ParameterRole.Embedding, v, d).PrepareRowGradient(b * f));
        Parameter bias = parameters.Add(Parameter.Dense("bias", ParameterRole.Bias, 1));
        var random = new SeededRandom(1);
        var gate1 = new FeatureSelectionGate(parameters, "fs1", d, fsHidden, width, random).Prepare(b);
        var gate2 = new FeatureSelectionGate(parameters, "fs2", d, fsHidden, width, random).Prepare(b);
        var mlp1 = new Mlp(parameters, "mlp1", width, mlp1Hidden, 0f, random, dropoutSeed: 1, outputUnit: false).Prepare(b);
        var mlp2 = new Mlp(parameters, "mlp2", width, mlp2Hidden, 0f, random, dropoutSeed: 2, outputUnit: false).Prepare(b);
        var fusion = new BilinearFusion(parameters, "fusion", mlp1.OutputSize, mlp2.OutputSize, heads, random).Prepare(b);
        Dictionary<string, double[]> initial = GoldenFixture.Tensors(root.GetProperty("initial"));
        Assert.Equal(root.GetProperty("initial").EnumerateObject().Select(p => p.Name), parameters.Select(p => p.Name));
        foreach (Parameter p in parameters)
        {
            Assert.Equal(initial[p.Name].Length, p.Length);
            for (int i = 0; i < p.Length; i++)
            {
                p.Value[i] = (float)initial[p.Name][i];
            }
        }

        var batch = fixture.Batch(0);
        var e = new float[b * width];
        var x1 = new float[e.Length];
        var x2 = new float[e.Length];
        var o1 = new float[b * mlp1.OutputSize];
        var o2 = new float[b * mlp2.OutputSize];
        var logits = new float[b];
        Embedding.Forward(embedding.Value, batch.Ids, batch.Values, true, b, f, d, e);
        gate1.Forward(e, b, x1);
        gate2.Forward(e, b, x2);
        mlp1.Forward(x1, b, o1, training: true);
        mlp2.Forward(x2, b, o2, training: true);
        fusion.Forward(o1, o2, b, logits);
        GlobalBias.Forward(bias.Value[0], b, logits);
        var dLogits = new float[b];
        double loss = BinaryLogLoss.Forward(logits, batch.Labels, b, dLogits);

        var dO1 = new float[o1.Length];
        var dO2 = new float[o2.Length];
        var dX1 = new float[x1.Length];
        var dX2 = new float[x2.Length];
        var dE = new float[e.Length];
        bias.Grad![0] += GlobalBias.Backward(dLogits, b);
        fusion.Backward(o1, o2, dLogits, b, dO1, dO2);
        mlp1.Backward(x1, dO1, b, dX1);
        mlp2.Backward(x2, dO2, b, dX2);
        gate1.Backward(e, dX1, b, dE);
        gate2.Backward(e, dX2, b, dE);
        Embedding.Backward(embedding.Value, batch.Ids, batch.Values, true, dE, b, f, d, embedding.RowGrad!, []);

        Compare("logits", GoldenFixture.Doubles(root.GetProperty("logits")), logits);
        Assert.Equal(root.GetProperty("loss").GetDouble(), loss, 1e-6);
        Dictionary<string, double[]> gradients = GoldenFixture.Tensors(root.GetProperty("gradients"));
        foreach (Parameter p in parameters)
        {
            Compare($"grad {p.Name}", gradients[p.Name], GradientCheck.Densify(p));
        }
    }

    private void Compare(string what, double[] expected, ReadOnlySpan<float> actual) =>
        GoldenFixture.AssertClose(what, expected, actual, 1e-5, output);
}
