using Clickwise.Kernels;
using Clickwise.Kernels.Simd;

namespace Clickwise.Inference.Ops;

/// <summary>
/// A prepared y = x·W + b (then ReLU when <paramref name="relu"/>) for the cross, SENET and bilinear layers: the context's GEMM for blocks of rows, and for a single request the
/// context's batch-1 kernel (the GEMM's 12-row register tile would compute eleven empty rows): its
/// <see cref="ComputeContext.MatVec"/> when one is set (<c>CLICKWISE_KERNELS=reference</c> sets the reference), else the
/// band-packed <see cref="PackedMatVec"/>. The choice follows the request's batch size, never the block, so a row's
/// result does not depend on how rows were split.
/// </summary>
internal sealed class RowDenseProduct(float[] weight, float[] bias, int inputSize, int outputSize, ComputeContext compute, bool relu = false)
{
    private readonly IDenseProduct _product = compute.Gemm.PrepareDense(weight, bias, inputSize, outputSize, relu);
    private readonly IMatVec? _matVec = compute.MatVec;
    private readonly float[] _single = compute.MatVec is null ? PackedMatVec.Pack(weight, inputSize, outputSize) : weight;

    public long Bytes => _product.Bytes + _single.LongLength * sizeof(float);

    /// <param name="single">The request has one row (then <paramref name="rows"/> is 1).</param>
    public void Forward(ReadOnlySpan<float> x, int rows, Span<float> y, bool single)
    {
        if (single)
        {
            if (_matVec is null)
            {
                PackedMatVec.Multiply(x, _single, bias, y, inputSize, outputSize, relu);
            }
            else
            {
                _matVec.Multiply(x, _single, bias, y, inputSize, outputSize, relu);
            }

            return;
        }

        _product.Forward(x, rows, y);
    }
}
