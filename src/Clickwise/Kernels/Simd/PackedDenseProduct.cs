namespace Clickwise.Kernels.Simd;

/// <summary>
/// A dense layer for <see cref="PackedGemm{TKernel}"/>: W packed into panels once, the bias padded to whole
/// panels, both applied in the micro-kernel's store (no second pass over y).
/// </summary>
internal sealed unsafe class PackedDenseProduct<TKernel> : IDenseProduct
    where TKernel : struct, IGemmMicroKernel
{
    private readonly PackedPanels _weight;
    private readonly float[] _bias; // pinned, [panels·32]
    private readonly bool _relu;
    private readonly PackedGemmBlocking _blocking;

    public PackedDenseProduct(float[] weight, float[] bias, int inputSize, int outputSize, bool relu, PackedGemmBlocking blocking)
    {
        if (weight.Length != inputSize * outputSize || bias.Length != outputSize)
        {
            throw new ArgumentException($"dense {inputSize}x{outputSize}: weight {weight.Length}, bias {bias.Length}");
        }

        fixed (float* w = weight)
        {
            _weight = PackedGemm<TKernel>.Pack(w, inputSize, outputSize, transB: false, blocking);
        }

        _bias = GC.AllocateArray<float>(_weight.Panels * PackedGemmLayout.PanelWidth, pinned: true);
        bias.CopyTo(_bias, 0);
        _relu = relu;
        _blocking = blocking;
    }

    public long Bytes => _weight.Bytes + _bias.LongLength * sizeof(float);

    public void Forward(ReadOnlySpan<float> x, int rows, Span<float> y)
    {
        if (x.Length < (long)rows * _weight.K || y.Length < (long)rows * _weight.N)
        {
            throw new ArgumentException($"dense {_weight.K}x{_weight.N}: operands too small for {rows} rows");
        }

        fixed (float* px = x, py = y, bias = _bias)
        {
            PackedGemm<TKernel>.MultiplyPacked(px, rows, _weight, bias, _relu, py, _blocking);
        }
    }
}
