using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Tests.Layers;

namespace Clickwise.Tests.Inference;

/// <summary>
/// Every registered attention variant's plan layer (<see cref="ISelfAttentionKernel.PackedLayer"/>) against the training layer (<see cref="MultiHeadSelfAttention"/>)
/// on one sample: field counts around the 8-row tile and the lane counts (clamped last tiles, padded key columns), one
/// and several heads, with and without the residual.
/// </summary>
public sealed unsafe class AttentionKernelTests
{
    public static TheoryData<string, int, int, bool> Shapes()
    {
        var data = new TheoryData<string, int, int, bool>();
        foreach (string kernel in KernelRegistry.AllSelfAttention.Select(k => k.Name))
        {
            foreach (int fields in new[] { 1, 3, 8, 9, 17, 39 })
            {
                data.Add(kernel, fields, 1, true);
                data.Add(kernel, fields, 2, false);
                data.Add(kernel, fields, 3, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryVariantMatchesTheTrainingLayer(string name, int fields, int heads, bool residual)
    {
        ISelfAttentionKernel kernel = KernelRegistry.AllSelfAttention.Single(k => k.Name == name);
        int lanes = kernel.Lanes;
        int headDim = lanes == 1 ? 3 : 2 * lanes, inputDim = 5, width = heads * headDim;
        var parameters = new ParameterSet();
        var layer = new MultiHeadSelfAttention(parameters, "att", fields, inputDim, heads, headDim, residual, scaleScores: false,
            new SeededRandom(fields * 10 + heads)).Prepare(1);
        float[] e = GradientCheck.RandomWeights(fields * inputDim, 3);
        var expected = new float[fields * width];
        layer.Forward(e, 1, expected);

        string[] parts = residual ? ["query", "key", "value", "residual"] : ["query", "key", "value"];
        float[] packed = SelfAttentionOp.Pack([.. parts.Select(p => parameters[$"att.{p}"].Value)], inputDim, heads, headDim);
        int stride = packed.Length / inputDim;
        var projections = new float[fields * stride];
        for (int f = 0; f < fields; f++)
        {
            for (int m = 0; m < inputDim; m++)
            {
                for (int c = 0; c < stride; c++)
                {
                    projections[f * stride + c] += e[f * inputDim + m] * packed[m * stride + c];
                }
            }
        }

        var actual = new float[fields * width];
        var scratch = new float[(headDim + fields) * ((fields + lanes - 1) / lanes * lanes)];
        scratch.AsSpan().Fill(float.NaN); // the kernel must not read scratch it has not written
        fixed (float* p = projections, s = scratch, o = actual)
        {
            kernel.PackedLayer(p, stride, stride / heads, fields, heads, headDim, residual, s, o);
        }

        RandomModels.AssertClose(expected, actual, $"{name} F={fields} K={heads} d'={headDim}", tolerance: 1e-5f);
    }

    [Fact]
    public void LargeScoresStayFinite()
    {
        // Scores far above exp's range (~88) in both the layer and the kernel: the softmax subtracts the row maximum.
        const int Fields = 4, InputDim = 2, HeadDim = 8;
        var parameters = new ParameterSet();
        var layer = new MultiHeadSelfAttention(parameters, "att", Fields, InputDim, 1, HeadDim, useResidual: false, scaleScores: false,
            new SeededRandom(1)).Prepare(1);
        parameters["att.query"].Value.AsSpan().Fill(3f);
        parameters["att.key"].Value.AsSpan().Fill(3f);
        float[] e = [4f, 4f, 3f, 3f, 1f, 1f, -2f, -2f];
        var output = new float[Fields * HeadDim];
        layer.Forward(e, 1, output);
        Assert.All(output, v => Assert.True(float.IsFinite(v)));

        float[] packed = SelfAttentionOp.Pack([parameters["att.query"].Value, parameters["att.key"].Value, parameters["att.value"].Value],
            InputDim, 1, HeadDim);
        int stride = 3 * HeadDim;
        var projections = new float[Fields * stride];
        for (int f = 0; f < Fields; f++)
        {
            for (int c = 0; c < stride; c++)
            {
                projections[f * stride + c] = e[f * 2] * packed[c] + e[f * 2 + 1] * packed[stride + c];
            }
        }

        var actual = new float[output.Length];
        var scratch = new float[(HeadDim + Fields) * Fields];
        fixed (float* p = projections, s = scratch, o = actual)
        {
            KernelRegistry.AllSelfAttention[0].PackedLayer(p, stride, stride, Fields, 1, HeadDim, false, s, o);
        }

        RandomModels.AssertClose(output, actual, "large scores", tolerance: 1e-5f);
    }
}
