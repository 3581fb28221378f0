namespace Clickwise.Kernels;

/// <summary>The two vector operations of <see cref="TensorTrainChain{TOps}"/> over one slice row of q_k·r_k floats.</summary>
internal interface ISliceOps
{
    /// <summary>y += a·x.</summary>
    static abstract void AddScaled(ReadOnlySpan<float> x, float a, Span<float> y);

    static abstract float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y);
}
