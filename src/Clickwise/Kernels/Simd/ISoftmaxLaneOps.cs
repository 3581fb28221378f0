namespace Clickwise.Kernels.Simd;

/// <summary>The lane operations a softmax needs beyond <see cref="ILaneOps{TVector}"/> (the attention kernel's).</summary>
public interface ISoftmaxLaneOps<TVector> : ILaneOps<TVector>
    where TVector : unmanaged
{
    /// <summary>Short name of the vector width, as plans describe it.</summary>
    static abstract string Name { get; }

    /// <summary>e^x for x ≤ 0 (<see cref="LaneExp"/>).</summary>
    static abstract TVector Exp(TVector x);
}
