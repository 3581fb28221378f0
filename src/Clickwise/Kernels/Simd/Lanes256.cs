using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Clickwise.Kernels.Simd;

/// <summary>8 lanes of <see cref="Vector256{T}"/>.</summary>
public readonly unsafe struct Lanes256 : ISoftmaxLaneOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref readonly float source, nuint offset) => Vector256.LoadUnsafe(in source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    public static string Name => "v256";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Max(x, Vector256.Create(LaneExp.Lowest));
        Vector256<float> t = Vector256.FusedMultiplyAdd(x, Vector256.Create(LaneExp.Log2E), Vector256.Create(LaneExp.Magic));
        Vector256<float> n = t - Vector256.Create(LaneExp.Magic);
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-LaneExp.Ln2High), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-LaneExp.Ln2Low), r);
        Vector256<float> p = Vector256.Create(LaneExp.C6);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(LaneExp.C5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(LaneExp.C4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(LaneExp.C3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(LaneExp.C2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        Vector256<int> scale = Vector256.ShiftLeft(t.AsInt32() + Vector256.Create(LaneExp.ExponentBias), 23);
        return p * scale.AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> x) => Vector256.Sqrt(x);
}
