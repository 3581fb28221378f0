using System.Numerics.Tensors;
using Clickwise.Kernels;

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
    public static void Forward(ComputeContext compute, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
                               int batchSize, int inputSize, int outputSize, Span<float> output)
    {
        ForwardUnbiased(compute, input, weight, batchSize, inputSize, outputSize, output);
        AddBias(output, bias, batchSize, outputSize);
    }

    /// <summary>output [B, out] += bias per row.</summary>
    public static void AddBias(Span<float> output, ReadOnlySpan<float> bias, int batchSize, int outputSize)
    {
        for (int b = 0; b < batchSize; b++)
        {
            Span<float> row = output.Slice(b * outputSize, outputSize);
            TensorPrimitives.Add(row, bias[..outputSize], row);
        }
    }

    /// <summary>output [B, out] = input·W, for callers that fuse the bias into their next pass over the output.</summary>
    public static void ForwardUnbiased(ComputeContext compute, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
                                       int batchSize, int inputSize, int outputSize, Span<float> output)
    {
        compute.Multiply(input, weight, output, batchSize, outputSize, inputSize,
            transA: false, transB: false, accumulate: false);
    }

    /// <param name="dInput">[B, in], accumulated; pass an empty span when the input needs no gradient.</param>
    /// <param name="dWeight">[in, out], accumulated.</param>
    /// <param name="dBias">[out], accumulated.</param>
    public static void Backward(ComputeContext compute, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> dOutput,
                                int batchSize, int inputSize, int outputSize,
                                Span<float> dInput, Span<float> dWeight, Span<float> dBias)
    {
        if (!dInput.IsEmpty)
        {
            BackwardData(compute, weight, dOutput, batchSize, inputSize, outputSize, dInput);
        }

        BackwardWeights(compute, input, dOutput, batchSize, inputSize, outputSize, dWeight);
        BackwardBias(dOutput, batchSize, outputSize, dBias);
    }

    /// <summary>dInput [B, in] += dOutput·Wᵀ.</summary>
    public static void BackwardData(ComputeContext compute, ReadOnlySpan<float> weight, ReadOnlySpan<float> dOutput,
                                    int batchSize, int inputSize, int outputSize, Span<float> dInput) =>
        MultiplyTransposedWeights(compute, dOutput, weight, batchSize, inputSize, outputSize, dInput, accumulate: true);

    /// <summary>
    /// product [B, in] = (accumulate ? product : 0) + dOutput·Wᵀ: <see cref="BackwardData"/>, or its overwriting form for
    /// a caller that owns the product buffer and would otherwise have to clear it first.
    /// </summary>
    public static void MultiplyTransposedWeights(ComputeContext compute, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> weight,
                                                 int batchSize, int inputSize, int outputSize, Span<float> product,
                                                 bool accumulate)
    {
        // W is stored [in, out] = [n, k] of this product, hence transB.
        compute.Multiply(dOutput, weight, product, batchSize, inputSize, outputSize,
            transA: false, transB: true, accumulate: accumulate);
    }

    /// <summary>dWeight [in, out] += inputᵀ·dOutput.</summary>
    public static void BackwardWeights(ComputeContext compute, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput,
                                       int batchSize, int inputSize, int outputSize, Span<float> dWeight)
    {
        // x is stored [B, in] = [k, m] of this product, hence transA.
        compute.Multiply(input, dOutput, dWeight, inputSize, outputSize, batchSize,
            transA: true, transB: false, accumulate: true);
    }

    /// <summary>dBias [out] += Σ_b dOutput[b, :].</summary>
    public static void BackwardBias(ReadOnlySpan<float> dOutput, int batchSize, int outputSize, Span<float> dBias)
    {
        for (int b = 0; b < batchSize; b++)
        {
            TensorPrimitives.Add(dBias[..outputSize], dOutput.Slice(b * outputSize, outputSize), dBias[..outputSize]);
        }
    }
}
