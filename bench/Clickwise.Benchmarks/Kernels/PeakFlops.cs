using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Clickwise.Benchmarks.Kernels;

/// <summary>
/// FMA-only register loop: 12 independent Vector512 (or Vector256) accumulator chains, enough to cover FMA latency
/// times throughput, so the loop runs at the core's fp32 peak. The yardstick for "% of peak" in GEMM reports.
/// </summary>
internal static class PeakFlops
{
    /// <summary>Floating-point operations (2 per lane per FMA) done by one <see cref="Run"/> call.</summary>
    public static long FlopsPerRun(int iterations) =>
        2L * 12 * iterations * (Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 1);

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static float Run(int iterations)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Run512(iterations);
        }

        return Vector256.IsHardwareAccelerated ? Run256(iterations) : RunScalar(iterations);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float Run512(int iterations)
    {
        var m = Vector512.Create(0.999999f);
        var s = Vector512.Create(1e-7f);
        Vector512<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, s); c1 = Vector512.FusedMultiplyAdd(c1, m, s);
            c2 = Vector512.FusedMultiplyAdd(c2, m, s); c3 = Vector512.FusedMultiplyAdd(c3, m, s);
            c4 = Vector512.FusedMultiplyAdd(c4, m, s); c5 = Vector512.FusedMultiplyAdd(c5, m, s);
            c6 = Vector512.FusedMultiplyAdd(c6, m, s); c7 = Vector512.FusedMultiplyAdd(c7, m, s);
            c8 = Vector512.FusedMultiplyAdd(c8, m, s); c9 = Vector512.FusedMultiplyAdd(c9, m, s);
            c10 = Vector512.FusedMultiplyAdd(c10, m, s); c11 = Vector512.FusedMultiplyAdd(c11, m, s);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float Run256(int iterations)
    {
        var m = Vector256.Create(0.999999f);
        var s = Vector256.Create(1e-7f);
        Vector256<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, s); c1 = Vector256.FusedMultiplyAdd(c1, m, s);
            c2 = Vector256.FusedMultiplyAdd(c2, m, s); c3 = Vector256.FusedMultiplyAdd(c3, m, s);
            c4 = Vector256.FusedMultiplyAdd(c4, m, s); c5 = Vector256.FusedMultiplyAdd(c5, m, s);
            c6 = Vector256.FusedMultiplyAdd(c6, m, s); c7 = Vector256.FusedMultiplyAdd(c7, m, s);
            c8 = Vector256.FusedMultiplyAdd(c8, m, s); c9 = Vector256.FusedMultiplyAdd(c9, m, s);
            c10 = Vector256.FusedMultiplyAdd(c10, m, s); c11 = Vector256.FusedMultiplyAdd(c11, m, s);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    private static float RunScalar(int iterations)
    {
        float c0 = 1, c1 = 1, c2 = 1, c3 = 1, c4 = 1, c5 = 1, c6 = 1, c7 = 1, c8 = 1, c9 = 1, c10 = 1, c11 = 1;
        for (int i = 0; i < iterations; i++)
        {
            c0 = MathF.FusedMultiplyAdd(c0, 0.999999f, 1e-7f); c1 = MathF.FusedMultiplyAdd(c1, 0.999999f, 1e-7f);
            c2 = MathF.FusedMultiplyAdd(c2, 0.999999f, 1e-7f); c3 = MathF.FusedMultiplyAdd(c3, 0.999999f, 1e-7f);
            c4 = MathF.FusedMultiplyAdd(c4, 0.999999f, 1e-7f); c5 = MathF.FusedMultiplyAdd(c5, 0.999999f, 1e-7f);
            c6 = MathF.FusedMultiplyAdd(c6, 0.999999f, 1e-7f); c7 = MathF.FusedMultiplyAdd(c7, 0.999999f, 1e-7f);
            c8 = MathF.FusedMultiplyAdd(c8, 0.999999f, 1e-7f); c9 = MathF.FusedMultiplyAdd(c9, 0.999999f, 1e-7f);
            c10 = MathF.FusedMultiplyAdd(c10, 0.999999f, 1e-7f); c11 = MathF.FusedMultiplyAdd(c11, 0.999999f, 1e-7f);
        }

        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }
}
