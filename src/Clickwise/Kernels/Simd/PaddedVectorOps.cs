using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// Inlined axpy/dot over lengths padded to <see cref="Padding"/> floats, for the short (tens of floats) rows of
/// per-sample kernels where a library call per row would cost more than the arithmetic. The width is the widest
/// the JIT accelerates; the branches fold away at JIT time.
/// </summary>
internal static unsafe class PaddedVectorOps
{
    /// <summary>Lengths passed here are multiples of this, so no width needs a tail loop.</summary>
    public const int Padding = 16;

    public static int Pad(int length) => (length + Padding - 1) / Padding * Padding;

    /// <summary>y[0..length) += a·x[0..length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float a, float* x, float* y, int length)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            for (int i = 0; i < length; i += 16)
            {
                Vector512.FusedMultiplyAdd(va, Vector512.Load(x + i), Vector512.Load(y + i)).Store(y + i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (int i = 0; i < length; i += 8)
            {
                Vector256.FusedMultiplyAdd(va, Vector256.Load(x + i), Vector256.Load(y + i)).Store(y + i);
            }
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                y[i] += a * x[i];
            }
        }
    }

    /// <summary>Σ x[i]·y[i] over [0..length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* x, float* y, int length)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<float>.Zero;
            for (int i = 0; i < length; i += 16)
            {
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(y + i), acc);
            }

            return Vector512.Sum(acc);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<float>.Zero;
            for (int i = 0; i < length; i += 8)
            {
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), Vector256.Load(y + i), acc);
            }

            return Vector256.Sum(acc);
        }

        float sum = 0;
        for (int i = 0; i < length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }
}
