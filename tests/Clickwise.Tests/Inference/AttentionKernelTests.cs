using System.Runtime.Intrinsics;
using Clickwise.Inference.Ops;
using Clickwise.Kernels.Simd;
using Clickwise.Layers;
using Clickwise.Tests.Layers;

namespace Clickwise.Tests.Inference;

/// <summary>
/// Every vector width of the plan's attention layer (<see cref="SelfAttentionKernel{TLanes, TVector}.PackedLayer"/>) against the training layer (<see cref="MultiHeadSelfAttention"/>)
/// on one sample: field counts around the 8-row tile and the lane counts (clamped last tiles, padded key columns), one
/// and several heads, with and without the residual.
/// </summary>
public sealed unsafe class AttentionKernelTests
{
    public static TheoryData<int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool>();
        foreach (int lanes in new[] { 16, 8, 1 })
        {
            foreach (int fields in new[] { 1, 3, 8, 9, 17, 39 })
            {
                data.Add(lanes, fields, 1, true);
                data.Add(lanes, fields, 2, false);
                data.Add(lanes, fields, 3, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryWidthMatchesTheTrainingLayer(int lanes, int fields, int heads, bool residual)
    {
        if ((lanes == 16 && !Vector512.IsHardwareAccelerated) || (lanes == 8 && !Vector256.IsHardwareAccelerated))
        {
            return; // this CPU cannot run the width; CI's DOTNET_EnableAVX512=0 runs cover the others
        }

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
            int block = stride / heads;
            switch (lanes)
            {
                case 16:
                    SelfAttentionKernel<Lanes512, Vector512<float>>.PackedLayer(p, stride, block, fields, heads, headDim, residual, s, o);
                    break;
                case 8:
                    SelfAttentionKernel<Lanes256, Vector256<float>>.PackedLayer(p, stride, block, fields, heads, headDim, residual, s, o);
                    break;
                default:
                    SelfAttentionKernel<LanesScalar, float>.PackedLayer(p, stride, block, fields, heads, headDim, residual, s, o);
                    break;
            }
        }

        RandomModels.AssertClose(expected, actual, $"{lanes} lanes F={fields} K={heads} d'={headDim}", tolerance: 1e-5f);
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
            SelfAttentionKernel<LanesScalar, float>.PackedLayer(p, stride, stride, Fields, 1, HeadDim, false, s, o);
        }

        RandomModels.AssertClose(output, actual, "large scores", tolerance: 1e-5f);
    }
}
