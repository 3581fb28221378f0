using Clickwise.Inference;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Tests.Layers;

namespace Clickwise.Tests.Inference;

/// <summary>
/// FinalMLP's inference forms equal its training layers' evaluation forward: the bilinear fusion op (whole batch,
/// split row ranges, one request) and a stream lowered to dense ops with the constant gate folded into the first
/// layer's weight rows.
/// </summary>
public sealed class FinalMlpOpTests
{
    private const int B = 7, F = 4, D = 3, W = F * D;

    [Theory]
    [InlineData(4, 4, 1)]
    [InlineData(8, 6, 2)]
    [InlineData(6, 9, 3)]
    public void FusionOpAddsTheLayersForwardToTheLogits(int xSize, int ySize, int heads)
    {
        var parameters = new ParameterSet();
        var fusion = new BilinearFusion(parameters, "fusion", xSize, ySize, heads, new SeededRandom(1)).Prepare(B);
        float[] x = GradientCheck.RandomWeights(B * xSize, 2), y = GradientCheck.RandomWeights(B * ySize, 3);
        var expected = new float[B];
        fusion.Forward(x, y, B, expected);
        var op = new BilinearFusionOp(parameters["fusion.x.weight"].Value, parameters["fusion.y.weight"].Value,
            parameters["fusion.xy.weight"].Value, xSize, ySize, heads, xOffset: 0, yOffset: xSize, scratchOffset: xSize + ySize,
            KernelRegistry.Gemm);

        int[][] splits = [[0, B], [0, 3, B], [0, 1, 2, B]];
        foreach (int[] cuts in splits)
        {
            var tape = new InferenceTape(B, 2 * (xSize + ySize));
            x.CopyTo(tape.Region(0, xSize, B));
            y.CopyTo(tape.Region(xSize, ySize, B));
            float[] logits = [.. Enumerable.Repeat(0.5f, B)];
            for (int k = 0; k + 1 < cuts.Length; k++)
            {
                op.RunRows(tape, [], [], default, B, cuts[k], cuts[k + 1], logits);
            }

            AssertClose(expected.Select(v => v + 0.5f).ToArray(), logits);
        }

        for (int b = 0; b < B; b++)
        {
            var single = new InferenceTape(1, 2 * (xSize + ySize));
            x.AsSpan(b * xSize, xSize).CopyTo(single.Region(0, xSize, 1));
            y.AsSpan(b * ySize, ySize).CopyTo(single.Region(xSize, ySize, 1));
            var logit = new float[1];
            op.RunRows(single, [], [], default, 1, 0, 1, logit);
            AssertClose([expected[b]], logit);
        }
    }

    [Fact]
    public void GateFoldedIntoTheFirstDenseLayerEqualsGateThenStream()
    {
        int[] hidden = [6, 4];
        var parameters = new ParameterSet();
        var gate = new FeatureSelectionGate(parameters, "fs1", D, [4], W, new SeededRandom(4)).Prepare(B);
        var mlp = new Mlp(parameters, "mlp1", W, hidden, 0.2f, new SeededRandom(5), dropoutSeed: 6, outputUnit: false).Prepare(B);
        GradientCheck.RandomizeBiases(parameters, 0.5);
        float[] e = GradientCheck.RandomWeights(B * W, 7);
        var gated = new float[e.Length];
        var expected = new float[B * hidden[^1]];
        gate.Forward(e, B, gated);
        mlp.Forward(gated, B, expected, training: false);

        float[] g = gate.ComputeGate();
        float[] w0 = FeatureSelectionGate.FoldIntoWeight(g, parameters["mlp1.0.weight"].Value, W, hidden[0]);
        int h0 = W, h1 = W + hidden[0], perRow = h1 + hidden[1];
        foreach (int rows in new[] { B, 1 })
        {
            IInferenceOp[] ops =
            [
                new DenseOp(w0, parameters["mlp1.0.bias"].Value, W, hidden[0], relu: true, 0, h0, toLogits: false, KernelRegistry.Gemm, matVec: null),
                new DenseOp(parameters["mlp1.1.weight"].Value, parameters["mlp1.1.bias"].Value, hidden[0], hidden[1], relu: true, h0, h1,
                    toLogits: false, KernelRegistry.Gemm, matVec: null),
            ];
            for (int start = 0; start < B; start += rows)
            {
                var tape = new InferenceTape(rows, perRow);
                e.AsSpan(start * W, rows * W).CopyTo(tape.Region(0, W, rows));
                foreach (IInferenceOp op in ops)
                {
                    op.RunRows(tape, [], [], default, rows, 0, rows, new float[rows]);
                }

                AssertClose(expected.AsSpan(start * hidden[1], rows * hidden[1]).ToArray(), tape.Region(h1, hidden[1], rows).ToArray());
            }
        }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[i])),
                $"[{i}] expected {expected[i]}, got {actual[i]}");
        }
    }
}
