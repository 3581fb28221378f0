using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// A bias-free linear map y = x·W with W stored [in, out] like <see cref="Linear"/>: the inner maps of the cross
/// networks (gates, low-rank factors) and the attention projections, which their papers define without a bias.
/// </summary>
public static class Projection
{
    /// <param name="input">[B, in].</param>
    /// <param name="weight">[in, out].</param>
    /// <param name="output">[B, out], overwritten.</param>
    public static void Forward(ComputeContext compute, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, int batchSize, int inputSize, int outputSize,
                               Span<float> output) =>
        compute.Multiply(input, weight, output, batchSize, outputSize, inputSize, transA: false, transB: false, accumulate: false);

    /// <param name="dInput">[B, in], accumulated; empty when the input needs no gradient.</param>
    /// <param name="dWeight">[in, out], accumulated.</param>
    public static void Backward(ComputeContext compute, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> dOutput,
                                int batchSize, int inputSize, int outputSize, Span<float> dInput, Span<float> dWeight)
    {
        if (!dInput.IsEmpty)
        {
            compute.Multiply(dOutput, weight, dInput, batchSize, inputSize, outputSize, transA: false, transB: true, accumulate: true);
        }

        compute.Multiply(input, dOutput, dWeight, inputSize, outputSize, batchSize, transA: true, transB: false, accumulate: true);
    }
}
