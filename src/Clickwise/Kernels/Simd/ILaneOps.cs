namespace Clickwise.Kernels.Simd;

/// <summary>
/// The few vector operations of a lane kernel (one sample per SIMD lane), as static members of a struct so one
/// generic kernel body compiles to Vector512 or Vector256 code with every call inlined.
/// </summary>
/// <typeparam name="TVector">The vector type, e.g. <c>Vector512&lt;float&gt;</c>.</typeparam>
public unsafe interface ILaneOps<TVector>
    where TVector : unmanaged
{
    static abstract int Count { get; }

    static abstract bool IsSupported { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Broadcast(float value);

    static abstract TVector Load(float* source);

    static abstract void Store(TVector value, float* destination);

    /// <summary>The vector at <paramref name="source"/> + <paramref name="offset"/> floats (unpinned memory).</summary>
    static abstract TVector Load(ref readonly float source, nuint offset);

    static abstract void Store(TVector value, ref float destination, nuint offset);

    /// <summary>a·b + c, fused where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Max(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>Correctly rounded √x, as <see cref="MathF.Sqrt"/>.</summary>
    static abstract TVector Sqrt(TVector x);
}
