using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// Batch-1 y = x·W + b (+ReLU) over weights repacked for streaming: the output columns are cut into bands of
/// 128 columns with Vector512 (64 without: eight Vector256 accumulators, half of AVX2's 16 registers), then 16, and each
/// band is stored contiguously as [in, band]. A band's accumulators stay in
/// registers for the whole input loop and its weights are read strictly sequentially, so the hardware prefetcher
/// keeps the loads at cache/memory bandwidth — the bound of batch-1 inference (speed-notes: the DNN's weights do
/// not fit in L2). The inference compiler packs once at load time.
/// </summary>
public static unsafe class PackedMatVec
{
    /// <summary>
    /// Columns of a wide band: eight accumulators of the widest vector, enough independent FMA chains to cover the FMA
    /// latency. Without Vector512 a 128-wide band used to run as eight 16-column passes, each reading one cache line of
    /// every 512-byte row: 2.2× slower per 400-wide layer than the 64-wide band (13.1 against 5.9 µs, benchmarks/amd-epyc/onnx-peer).
    /// </summary>
    private static readonly int Wide = Vector512.IsHardwareAccelerated ? 128 : 64;
    private const int Narrow = 16;

    /// <summary>Floats the packed copy of an [in, out] matrix needs.</summary>
    public static int PackedLength(int inputSize, int outputSize) => inputSize * (outputSize / Wide * Wide + RoundUp(outputSize % Wide, Narrow));

    /// <summary>Repacks W [in, out] (row-major) into column bands; padding columns are zero.</summary>
    public static float[] Pack(ReadOnlySpan<float> weight, int inputSize, int outputSize)
    {
        if (weight.Length != inputSize * outputSize)
        {
            throw new ArgumentException($"weight has {weight.Length} values, expected {inputSize}x{outputSize}");
        }

        float[] packed = new float[PackedLength(inputSize, outputSize)];
        int at = 0;
        for (int start = 0, width; start < outputSize; start += width)
        {
            width = BandWidth(outputSize - start);
            for (int i = 0; i < inputSize; i++)
            {
                int valid = Math.Min(width, outputSize - start);
                weight.Slice(i * outputSize + start, valid).CopyTo(packed.AsSpan(at, valid));
                at += width;
            }
        }

        return packed;
    }

    /// <param name="bias">[out] or empty.</param>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> y,
                                int inputSize, int outputSize, bool relu)
    {
        if (x.Length < inputSize || y.Length < outputSize || packed.Length < PackedLength(inputSize, outputSize)
            || (!bias.IsEmpty && bias.Length < outputSize))
        {
            throw new ArgumentException($"packed matvec {inputSize}x{outputSize}: operands too small");
        }

        Span<float> lane = stackalloc float[Narrow];
        fixed (float* px = x, pw = packed, pb = bias, py = y)
        {
            float* w = pw;
            for (int start = 0, width; start < outputSize; start += width)
            {
                width = BandWidth(outputSize - start);
                if (width == Wide && Vector512.IsHardwareAccelerated)
                {
                    Wide512(px, w, pb == null ? null : pb + start, py + start, inputSize, relu);
                }
                else if (width == Wide && Vector256.IsHardwareAccelerated)
                {
                    Wide256(px, w, pb == null ? null : pb + start, py + start, inputSize, relu);
                }
                else
                {
                    int valid = Math.Min(width, outputSize - start);
                    for (int c = 0; c < width; c += Narrow)
                    {
                        int n = Math.Min(Narrow, valid - c);
                        if (n <= 0)
                        {
                            break;
                        }

                        Column16(px, w + c, width, inputSize, lane);
                        for (int k = 0; k < n; k++)
                        {
                            float v = lane[k] + (pb == null ? 0f : pb[start + c + k]);
                            py[start + c + k] = relu && v < 0f ? 0f : v;
                        }
                    }
                }

                w += (long)width * inputSize;
            }
        }
    }

    /// <summary>Width of the band that starts with <paramref name="remaining"/> columns left.</summary>
    private static int BandWidth(int remaining) => remaining >= Wide ? Wide : Narrow;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Wide512(float* x, float* w, float* bias, float* y, int inputSize, bool relu)
    {
        Vector512<float> a0 = bias == null ? default : Vector512.Load(bias);
        Vector512<float> a1 = bias == null ? default : Vector512.Load(bias + 16);
        Vector512<float> a2 = bias == null ? default : Vector512.Load(bias + 32);
        Vector512<float> a3 = bias == null ? default : Vector512.Load(bias + 48);
        Vector512<float> a4 = bias == null ? default : Vector512.Load(bias + 64);
        Vector512<float> a5 = bias == null ? default : Vector512.Load(bias + 80);
        Vector512<float> a6 = bias == null ? default : Vector512.Load(bias + 96);
        Vector512<float> a7 = bias == null ? default : Vector512.Load(bias + 112);
        for (int i = 0; i < inputSize; i++, w += 128)
        {
            Vector512<float> xi = Vector512.Create(x[i]);
            a0 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(w), a0);
            a1 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(w + 16), a1);
            a2 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(w + 32), a2);
            a3 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(w + 48), a3);
            a4 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(w + 64), a4);
            a5 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(w + 80), a5);
            a6 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(w + 96), a6);
            a7 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(w + 112), a7);
        }

        Store(a0, y, relu);
        Store(a1, y + 16, relu);
        Store(a2, y + 32, relu);
        Store(a3, y + 48, relu);
        Store(a4, y + 64, relu);
        Store(a5, y + 80, relu);
        Store(a6, y + 96, relu);
        Store(a7, y + 112, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Wide256(float* x, float* w, float* bias, float* y, int inputSize, bool relu)
    {
        Vector256<float> a0 = bias == null ? default : Vector256.Load(bias);
        Vector256<float> a1 = bias == null ? default : Vector256.Load(bias + 8);
        Vector256<float> a2 = bias == null ? default : Vector256.Load(bias + 16);
        Vector256<float> a3 = bias == null ? default : Vector256.Load(bias + 24);
        Vector256<float> a4 = bias == null ? default : Vector256.Load(bias + 32);
        Vector256<float> a5 = bias == null ? default : Vector256.Load(bias + 40);
        Vector256<float> a6 = bias == null ? default : Vector256.Load(bias + 48);
        Vector256<float> a7 = bias == null ? default : Vector256.Load(bias + 56);
        for (int i = 0; i < inputSize; i++, w += 64)
        {
            Vector256<float> xi = Vector256.Create(x[i]);
            a0 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w), a0);
            a1 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w + 8), a1);
            a2 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w + 16), a2);
            a3 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w + 24), a3);
            a4 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w + 32), a4);
            a5 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w + 40), a5);
            a6 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w + 48), a6);
            a7 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w + 56), a7);
        }

        Store(a0, y, relu);
        Store(a1, y + 8, relu);
        Store(a2, y + 16, relu);
        Store(a3, y + 24, relu);
        Store(a4, y + 32, relu);
        Store(a5, y + 40, relu);
        Store(a6, y + 48, relu);
        Store(a7, y + 56, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> a, float* y, bool relu) => (relu ? Vector256.Max(a, Vector256<float>.Zero) : a).Store(y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> a, float* y, bool relu) => (relu ? Vector512.Max(a, Vector512<float>.Zero) : a).Store(y);

    /// <summary>16 columns of a band (row stride <paramref name="stride"/>) without bias or activation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Column16(float* x, float* w, int stride, int inputSize, Span<float> result)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            // Two rows per iteration: four independent FMA chains instead of two.
            Vector256<float> lo = default, hi = default, lo2 = default, hi2 = default;
            int i = 0;
            for (; i + 2 <= inputSize; i += 2, w += 2 * stride)
            {
                Vector256<float> xi = Vector256.Create(x[i]);
                Vector256<float> xj = Vector256.Create(x[i + 1]);
                lo = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w), lo);
                hi = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w + 8), hi);
                lo2 = Vector256.FusedMultiplyAdd(xj, Vector256.Load(w + stride), lo2);
                hi2 = Vector256.FusedMultiplyAdd(xj, Vector256.Load(w + stride + 8), hi2);
            }

            if (i < inputSize)
            {
                Vector256<float> xi = Vector256.Create(x[i]);
                lo = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w), lo);
                hi = Vector256.FusedMultiplyAdd(xi, Vector256.Load(w + 8), hi);
            }

            (lo + lo2).CopyTo(result);
            (hi + hi2).CopyTo(result[8..]);
            return;
        }

        result.Clear();
        for (int i = 0; i < inputSize; i++, w += stride)
        {
            float xi = x[i];
            for (int k = 0; k < Narrow; k++)
            {
                result[k] += xi * w[k];
            }
        }
    }
}
