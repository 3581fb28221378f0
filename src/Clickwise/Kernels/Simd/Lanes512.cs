using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Clickwise.Kernels.Simd;

/// <summary>16 lanes of <see cref="Vector512{T}"/>.</summary>
public readonly unsafe struct Lanes512 : ISoftmaxLaneOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref readonly float source, nuint offset) => Vector512.LoadUnsafe(in source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    public static string Name => "v512";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        // See LaneExp: x = n·ln2 + r, e^x = 2^n · p(r).
        x = Vector512.Max(x, Vector512.Create(LaneExp.Lowest));
        Vector512<float> t = Vector512.FusedMultiplyAdd(x, Vector512.Create(LaneExp.Log2E), Vector512.Create(LaneExp.Magic));
        Vector512<float> n = t - Vector512.Create(LaneExp.Magic);
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-LaneExp.Ln2High), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-LaneExp.Ln2Low), r);
        Vector512<float> p = Vector512.Create(LaneExp.C6);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(LaneExp.C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(LaneExp.C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(LaneExp.C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(LaneExp.C2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        Vector512<int> scale = Vector512.ShiftLeft(t.AsInt32() + Vector512.Create(LaneExp.ExponentBias), 23);
        return p * scale.AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> x) => Vector512.Sqrt(x);
}
