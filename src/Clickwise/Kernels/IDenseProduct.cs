namespace Clickwise.Kernels;

/// <summary>
/// A dense layer's weights prepared once (at inference compile time) for repeated y = x·W + bias, then ReLU,
/// on the calling thread: the caller splits rows over threads itself. Immutable, so one instance serves any
/// number of threads.
/// </summary>
public interface IDenseProduct
{
    /// <summary>Bytes the prepared copy holds beyond the original weights.</summary>
    long Bytes { get; }

    /// <param name="x">[rows, in]</param>
    /// <param name="y">[rows, out], overwritten</param>
    void Forward(ReadOnlySpan<float> x, int rows, Span<float> y);
}
