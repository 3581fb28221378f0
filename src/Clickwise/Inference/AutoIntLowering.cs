using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;
using Clickwise.Models;

namespace Clickwise.Inference;

/// <summary>
/// Lowers the interacting layers and output unit of autoint and autoint+ (see <see cref="AutoIntModel"/>) to one
/// <see cref="SelfAttentionOp"/> over the embedding region; AutoInt+'s DNN lowers like every other model's DNN.
/// Each layer's four projections W_Q, W_K, W_V, W_res [D_in, K·d'] are packed into one [D_in, K·block] matrix whose
/// columns run head by head (q_h, k_h, v_h, r_h, d' each), so one prepared GEMM gives a head's operands side by side.
/// </summary>
internal static class AutoIntLowering
{
    public static bool Handles(string name) => name is "autoint" or "autoint+";

    /// <summary>AutoInt+ adds the DNN over the flattened embeddings.</summary>
    public static bool HasDeep(string name) => name is "autoint+";

    public static IInferenceOp Lower(ModelConfig config, int fieldCount, int embeddingOffset, Func<string, float[]> tensor, IGemm gemm)
    {
        int heads = config.AttentionHeads, headDim = config.AttentionDim, width = heads * headDim;
        bool residual = config.AttentionResidual;
        string[] parts = residual ? ["query", "key", "value", "residual"] : ["query", "key", "value"];
        var projections = new IDenseProduct[config.AttentionLayers];
        int[] inputDims = new int[projections.Length];
        long parameterCount = 0;
        for (int l = 0; l < projections.Length; l++)
        {
            int inputDim = inputDims[l] = l == 0 ? config.EmbeddingDim : width;
            float[][] weights = [.. parts.Select(part => Checked(tensor($"attention.{l}.{part}"), $"attention.{l}.{part}", inputDim * width))];
            float[] packed = Pack(weights, inputDim, heads, headDim);
            projections[l] = gemm.PrepareDense(packed, new float[packed.Length / inputDim], inputDim, packed.Length / inputDim, relu: false);
            parameterCount += weights.Sum(w => (long)w.Length);
        }

        float[] output = Checked(tensor("attention.output.weight"), "attention.output.weight", fieldCount * width);
        return new SelfAttentionOp(projections, inputDims, output, fieldCount, config.EmbeddingDim, heads, headDim, residual, embeddingOffset,
            parameterCount + output.Length, SelfAttentionLanes.For(headDim));
    }

    /// <summary>[D_in, K·P·d'] with column h·P·d' + p·d' + c = weights[p][:, h·d' + c] (P = weights.Length).</summary>
    internal static float[] Pack(float[][] weights, int inputDim, int heads, int headDim)
    {
        int width = heads * headDim, columns = weights.Length * width;
        float[] packed = new float[inputDim * columns];
        for (int m = 0; m < inputDim; m++)
        {
            for (int h = 0; h < heads; h++)
            {
                for (int p = 0; p < weights.Length; p++)
                {
                    weights[p].AsSpan(m * width + h * headDim, headDim)
                        .CopyTo(packed.AsSpan(m * columns + (h * weights.Length + p) * headDim, headDim));
                }
            }
        }

        return packed;
    }

    private static float[] Checked(float[] values, string name, int expected) => values.Length == expected
        ? values
        : throw new InvalidDataException($"'{name}' has {values.Length} values, expected {expected}");
}
