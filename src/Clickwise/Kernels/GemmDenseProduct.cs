using System.Numerics.Tensors;

namespace Clickwise.Kernels;

/// <summary>
/// <see cref="IDenseProduct"/> for any <see cref="IGemm"/> that has no prepared form (the reference): a GEMM
/// over the original weights, then bias and ReLU as a second pass.
/// </summary>
internal sealed class GemmDenseProduct(IGemm gemm, float[] weight, float[] bias, int inputSize, int outputSize, bool relu)
    : IDenseProduct
{
    public long Bytes => 0;

    public void Forward(ReadOnlySpan<float> x, int rows, Span<float> y)
    {
        gemm.Multiply(x, weight, y, rows, outputSize, inputSize, transA: false, transB: false, accumulate: false, threads: 1);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = y.Slice(r * outputSize, outputSize);
            TensorPrimitives.Add(row, bias, row);
            if (relu)
            {
                TensorPrimitives.Max(row, 0f, row);
            }
        }
    }
}
