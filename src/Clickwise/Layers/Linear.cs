using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>
/// Fully connected layer with weights stored [in, out] so every pass is one row-major GEMM:
/// forward y = x·W + b, backward dX += dY·Wᵀ, dW += xᵀ·dY, db += Σ_b dY.
/// </summary>
public static class Linear
{
    /// <param name="input">[B, in].</param>
    /// <param name="weight">[in, out].</param>
    /// <param name="bias">[out].</param>
    /// <param name="output">[B, out].</param>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
                               int batchSize, int inputSize, int outputSize, Span<float> output)
    {
        Gemms.Active.Multiply(input, weight, output, batchSize, outputSize, inputSize,
            transA: false, transB: false, accumulate: false);
        for (int b = 0; b < batchSize; b++)
        {
            Span<float> row = output.Slice(b * outputSize, outputSize);
            TensorPrimitives.Add(row, bias[..outputSize], row);
        }
    }

    /// <param name="dInput">[B, in], accumulated; pass an empty span when the input needs no gradient.</param>
    /// <param name="dWeight">[in, out], accumulated.</param>
    /// <param name="dBias">[out], accumulated.</param>
    public static void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> dOutput,
                                int batchSize, int inputSize, int outputSize,
                                Span<float> dInput, Span<float> dWeight, Span<float> dBias)
    {
        if (!dInput.IsEmpty)
        {
            // W is stored [in, out] = [n, k] of this product, hence transB.
            Gemms.Active.Multiply(dOutput, weight, dInput, batchSize, inputSize, outputSize,
                transA: false, transB: true, accumulate: true);
        }

        // x is stored [B, in] = [k, m] of this product, hence transA.
        Gemms.Active.Multiply(input, dOutput, dWeight, inputSize, outputSize, batchSize,
            transA: true, transB: false, accumulate: true);
        for (int b = 0; b < batchSize; b++)
        {
            TensorPrimitives.Add(dBias[..outputSize], dOutput.Slice(b * outputSize, outputSize), dBias[..outputSize]);
        }
    }
}
