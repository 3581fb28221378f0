using Clickwise.Kernels;
using Clickwise.Kernels.Simd;

namespace Clickwise.Inference.Ops;

/// <summary>
/// A prepared y = x·W + b (then ReLU when <paramref name="relu"/>) for the cross, SENET and bilinear layers: the packed GEMM for blocks of rows, and for a single request the
/// streaming matrix-vector kernel (the GEMM's 12-row register tile would compute eleven empty rows). The choice
/// follows the request's batch size, never the block, so a row's result does not depend on how rows were split.
/// </summary>
internal sealed class RowDenseProduct(float[] weight, float[] bias, int inputSize, int outputSize, IGemm gemm, bool relu = false)
{
    private readonly IDenseProduct _product = gemm.PrepareDense(weight, bias, inputSize, outputSize, relu);
    private readonly float[] _packed = PackedMatVec.Pack(weight, inputSize, outputSize);

    public long Bytes => _product.Bytes + _packed.LongLength * sizeof(float);

    /// <param name="single">The request has one row (then <paramref name="rows"/> is 1).</param>
    public void Forward(ReadOnlySpan<float> x, int rows, Span<float> y, bool single)
    {
        if (single)
        {
            PackedMatVec.Multiply(x, _packed, bias, y, inputSize, outputSize, relu);
            return;
        }

        _product.Forward(x, rows, y);
    }
}
