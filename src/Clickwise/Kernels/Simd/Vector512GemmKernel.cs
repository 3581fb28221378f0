using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// 12×32 tile in 24 zmm accumulators (of 32): per k step 2 loads of B, 12 broadcasts of A, 24 FMAs, no spills.
/// Zen 4 runs a 512-bit FMA as two 256-bit halves, so this matches the 256-bit peak with half the instructions.
/// </summary>
internal readonly unsafe struct Vector512GemmKernel : IGemmMicroKernel
{
    public static string Name => "gemm-v512";

    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    public static int Rows => 12;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, nint rowStride, nint kStride, float* b, int kc, float* c, nint ldc, int width, bool load,
                           float* bias, bool relu)
    {
        if (width <= 16)
        {
            Run16(a, rowStride, kStride, b, kc, c, ldc, load, bias, relu);
            return;
        }

        Vector512<float> c0a = default, c1a = default, c2a = default, c3a = default, c4a = default, c5a = default;
        Vector512<float> c6a = default, c7a = default, c8a = default, c9a = default, c10a = default, c11a = default;
        // Rows 0-3, 4-7, 8-11 from three bases with index rs, 2·rs, rs3: every broadcast is one addressing mode
        // whether A is packed (rs = 1 float), row-major (rs = lda) or transposed (rs = 1, ks = lda).
        nint rs = rowStride * sizeof(float), rs3 = 3 * rs, ks = kStride * sizeof(float);
        byte* a0 = (byte*)a, a4 = a0 + 4 * rs, a8 = a0 + 8 * rs;
        Vector512<float> c0b = default, c1b = default, c2b = default, c3b = default, c4b = default, c5b = default;
        Vector512<float> c6b = default, c7b = default, c8b = default, c9b = default, c10b = default, c11b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> av;
            av = Vector512.Create(*(float*)a0); c0a = Vector512.FusedMultiplyAdd(av, b0, c0a); c0b = Vector512.FusedMultiplyAdd(av, b1, c0b);
            av = Vector512.Create(*(float*)(a0 + rs)); c1a = Vector512.FusedMultiplyAdd(av, b0, c1a); c1b = Vector512.FusedMultiplyAdd(av, b1, c1b);
            av = Vector512.Create(*(float*)(a0 + 2 * rs)); c2a = Vector512.FusedMultiplyAdd(av, b0, c2a); c2b = Vector512.FusedMultiplyAdd(av, b1, c2b);
            av = Vector512.Create(*(float*)(a0 + rs3)); c3a = Vector512.FusedMultiplyAdd(av, b0, c3a); c3b = Vector512.FusedMultiplyAdd(av, b1, c3b);
            av = Vector512.Create(*(float*)a4); c4a = Vector512.FusedMultiplyAdd(av, b0, c4a); c4b = Vector512.FusedMultiplyAdd(av, b1, c4b);
            av = Vector512.Create(*(float*)(a4 + rs)); c5a = Vector512.FusedMultiplyAdd(av, b0, c5a); c5b = Vector512.FusedMultiplyAdd(av, b1, c5b);
            av = Vector512.Create(*(float*)(a4 + 2 * rs)); c6a = Vector512.FusedMultiplyAdd(av, b0, c6a); c6b = Vector512.FusedMultiplyAdd(av, b1, c6b);
            av = Vector512.Create(*(float*)(a4 + rs3)); c7a = Vector512.FusedMultiplyAdd(av, b0, c7a); c7b = Vector512.FusedMultiplyAdd(av, b1, c7b);
            av = Vector512.Create(*(float*)a8); c8a = Vector512.FusedMultiplyAdd(av, b0, c8a); c8b = Vector512.FusedMultiplyAdd(av, b1, c8b);
            av = Vector512.Create(*(float*)(a8 + rs)); c9a = Vector512.FusedMultiplyAdd(av, b0, c9a); c9b = Vector512.FusedMultiplyAdd(av, b1, c9b);
            av = Vector512.Create(*(float*)(a8 + 2 * rs)); c10a = Vector512.FusedMultiplyAdd(av, b0, c10a); c10b = Vector512.FusedMultiplyAdd(av, b1, c10b);
            av = Vector512.Create(*(float*)(a8 + rs3)); c11a = Vector512.FusedMultiplyAdd(av, b0, c11a); c11b = Vector512.FusedMultiplyAdd(av, b1, c11b);
            a0 += ks;
            a4 += ks;
            a8 += ks;
            b += PackedGemmLayout.PanelWidth;
        }

        // Null stays null: the high half's bias is an offset only when there is a bias.
        float* biasHigh = bias == null ? null : bias + 16;
        Store(c0a, c + 0 * ldc, load, bias, relu); Store(c0b, c + 0 * ldc + 16, load, biasHigh, relu);
        Store(c1a, c + 1 * ldc, load, bias, relu); Store(c1b, c + 1 * ldc + 16, load, biasHigh, relu);
        Store(c2a, c + 2 * ldc, load, bias, relu); Store(c2b, c + 2 * ldc + 16, load, biasHigh, relu);
        Store(c3a, c + 3 * ldc, load, bias, relu); Store(c3b, c + 3 * ldc + 16, load, biasHigh, relu);
        Store(c4a, c + 4 * ldc, load, bias, relu); Store(c4b, c + 4 * ldc + 16, load, biasHigh, relu);
        Store(c5a, c + 5 * ldc, load, bias, relu); Store(c5b, c + 5 * ldc + 16, load, biasHigh, relu);
        Store(c6a, c + 6 * ldc, load, bias, relu); Store(c6b, c + 6 * ldc + 16, load, biasHigh, relu);
        Store(c7a, c + 7 * ldc, load, bias, relu); Store(c7b, c + 7 * ldc + 16, load, biasHigh, relu);
        Store(c8a, c + 8 * ldc, load, bias, relu); Store(c8b, c + 8 * ldc + 16, load, biasHigh, relu);
        Store(c9a, c + 9 * ldc, load, bias, relu); Store(c9b, c + 9 * ldc + 16, load, biasHigh, relu);
        Store(c10a, c + 10 * ldc, load, bias, relu); Store(c10b, c + 10 * ldc + 16, load, biasHigh, relu);
        Store(c11a, c + 11 * ldc, load, bias, relu); Store(c11b, c + 11 * ldc + 16, load, biasHigh, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run16(float* a, nint rowStride, nint kStride, float* b, int kc, float* c, nint ldc, bool load,
                              float* bias, bool relu)
    {
        // Rows 0-3, 4-7, 8-11 from three bases with index rs, 2·rs, rs3: every broadcast is one addressing mode
        // whether A is packed (rs = 1 float), row-major (rs = lda) or transposed (rs = 1, ks = lda).
        nint rs = rowStride * sizeof(float), rs3 = 3 * rs, ks = kStride * sizeof(float);
        byte* a0 = (byte*)a, a4 = a0 + 4 * rs, a8 = a0 + 8 * rs;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)a0), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)(a0 + rs)), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)(a0 + 2 * rs)), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)(a0 + rs3)), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)a4), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)(a4 + rs)), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)(a4 + 2 * rs)), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)(a4 + rs3)), b0, c7);
            c8 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)a8), b0, c8);
            c9 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)(a8 + rs)), b0, c9);
            c10 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)(a8 + 2 * rs)), b0, c10);
            c11 = Vector512.FusedMultiplyAdd(Vector512.Create(*(float*)(a8 + rs3)), b0, c11);
            a0 += ks;
            a4 += ks;
            a8 += ks;
            b += PackedGemmLayout.PanelWidth;
        }

        Store(c0, c + 0 * ldc, load, bias, relu);
        Store(c1, c + 1 * ldc, load, bias, relu);
        Store(c2, c + 2 * ldc, load, bias, relu);
        Store(c3, c + 3 * ldc, load, bias, relu);
        Store(c4, c + 4 * ldc, load, bias, relu);
        Store(c5, c + 5 * ldc, load, bias, relu);
        Store(c6, c + 6 * ldc, load, bias, relu);
        Store(c7, c + 7 * ldc, load, bias, relu);
        Store(c8, c + 8 * ldc, load, bias, relu);
        Store(c9, c + 9 * ldc, load, bias, relu);
        Store(c10, c + 10 * ldc, load, bias, relu);
        Store(c11, c + 11 * ldc, load, bias, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> acc, float* c, bool load, float* bias, bool relu)
    {
        if (load)
        {
            acc += Vector512.Load(c);
        }

        if (bias != null)
        {
            acc += Vector512.Load(bias);
        }

        if (relu)
        {
            acc = Vector512.Max(acc, Vector512<float>.Zero);
        }

        acc.Store(c);
    }
}
