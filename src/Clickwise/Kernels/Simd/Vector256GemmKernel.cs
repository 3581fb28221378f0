using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// 6×16 tile in 12 ymm accumulators, run once per 16-column half of a 32-wide panel: it fits the 16 registers of
/// AVX2 without AVX-512 (DOTNET_EnableAVX512=0) with room for 2 B loads and a broadcast.
/// </summary>
internal readonly unsafe struct Vector256GemmKernel : IGemmMicroKernel
{
    public static string Name => "gemm-v256";

    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    public static int Rows => 6;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, nint rowStride, nint kStride, float* b, int kc, float* c, nint ldc, int width, bool load,
                           float* bias, bool relu)
    {
        Half(a, rowStride, kStride, b, kc, c, ldc, load, bias, relu);
        if (width > 16)
        {
            Half(a, rowStride, kStride, b + 16, kc, c + 16, ldc, load, bias == null ? null : bias + 16, relu);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Half(float* a, nint rowStride, nint kStride, float* b, int kc, float* c, nint ldc, bool load,
                             float* bias, bool relu)
    {
        // Rows 0-2 and 3-5 from two bases with index rs and 2·rs (see Vector512GemmKernel).
        nint rs = rowStride * sizeof(float), ks = kStride * sizeof(float);
        byte* a0 = (byte*)a, a3 = a0 + 3 * rs;
        Vector256<float> c0a = default, c1a = default, c2a = default, c3a = default, c4a = default, c5a = default;
        Vector256<float> c0b = default, c1b = default, c2b = default, c3b = default, c4b = default, c5b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> av;
            av = Vector256.Create(*(float*)a0); c0a = Vector256.FusedMultiplyAdd(av, b0, c0a); c0b = Vector256.FusedMultiplyAdd(av, b1, c0b);
            av = Vector256.Create(*(float*)(a0 + rs)); c1a = Vector256.FusedMultiplyAdd(av, b0, c1a); c1b = Vector256.FusedMultiplyAdd(av, b1, c1b);
            av = Vector256.Create(*(float*)(a0 + 2 * rs)); c2a = Vector256.FusedMultiplyAdd(av, b0, c2a); c2b = Vector256.FusedMultiplyAdd(av, b1, c2b);
            av = Vector256.Create(*(float*)a3); c3a = Vector256.FusedMultiplyAdd(av, b0, c3a); c3b = Vector256.FusedMultiplyAdd(av, b1, c3b);
            av = Vector256.Create(*(float*)(a3 + rs)); c4a = Vector256.FusedMultiplyAdd(av, b0, c4a); c4b = Vector256.FusedMultiplyAdd(av, b1, c4b);
            av = Vector256.Create(*(float*)(a3 + 2 * rs)); c5a = Vector256.FusedMultiplyAdd(av, b0, c5a); c5b = Vector256.FusedMultiplyAdd(av, b1, c5b);
            a0 += ks;
            a3 += ks;
            b += PackedGemmLayout.PanelWidth;
        }

        float* biasHigh = bias == null ? null : bias + 8;
        Store(c0a, c + 0 * ldc, load, bias, relu); Store(c0b, c + 0 * ldc + 8, load, biasHigh, relu);
        Store(c1a, c + 1 * ldc, load, bias, relu); Store(c1b, c + 1 * ldc + 8, load, biasHigh, relu);
        Store(c2a, c + 2 * ldc, load, bias, relu); Store(c2b, c + 2 * ldc + 8, load, biasHigh, relu);
        Store(c3a, c + 3 * ldc, load, bias, relu); Store(c3b, c + 3 * ldc + 8, load, biasHigh, relu);
        Store(c4a, c + 4 * ldc, load, bias, relu); Store(c4b, c + 4 * ldc + 8, load, biasHigh, relu);
        Store(c5a, c + 5 * ldc, load, bias, relu); Store(c5b, c + 5 * ldc + 8, load, biasHigh, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> acc, float* c, bool load, float* bias, bool relu)
    {
        if (load)
        {
            acc += Vector256.Load(c);
        }

        if (bias != null)
        {
            acc += Vector256.Load(bias);
        }

        if (relu)
        {
            acc = Vector256.Max(acc, Vector256<float>.Zero);
        }

        acc.Store(c);
    }
}
