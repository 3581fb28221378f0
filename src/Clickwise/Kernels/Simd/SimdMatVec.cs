using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// Batch-1 y = x·W + b (+ReLU) with W [in, out]: outputs live in vector accumulators across the whole input loop,
/// so there are no horizontal sums; bias seeds the accumulators and ReLU is fused into the store.
/// </summary>
public sealed unsafe class SimdMatVec : IMatVec
{
    private readonly int _width;

    private SimdMatVec(int width) => _width = width;

    public static SimdMatVec? Vector512Variant => Vector512.IsHardwareAccelerated ? new SimdMatVec(512) : null;

    public static SimdMatVec? Vector256Variant => Vector256.IsHardwareAccelerated ? new SimdMatVec(256) : null;

    /// <summary>Row-by-row axpy without SIMD, for DOTNET_EnableHWIntrinsic=0.</summary>
    public static SimdMatVec ScalarVariant => new(1);

    public string Name => _width switch
    {
        512 => "matvec-v512",
        256 => "matvec-v256",
        _ => "matvec-scalar",
    };

    public void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
                         int inputSize, int outputSize, bool relu)
    {
        KernelChecks.MatVec(x, weight, bias, y, inputSize, outputSize);
        fixed (float* px = x, pw = weight, pb = bias, py = y)
        {
            float* b = bias.IsEmpty ? null : pb;
            if (_width == 512)
            {
                Multiply512(px, pw, b, py, inputSize, outputSize, relu);
            }
            else if (_width == 256)
            {
                Multiply256(px, pw, b, py, inputSize, outputSize, relu);
            }
            else
            {
                MultiplyScalar(px, pw, b, py, inputSize, outputSize, relu);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply512(float* x, float* w, float* bias, float* y, int inputSize, int outputSize, bool relu)
    {
        const int lanes = 16;
        int o = 0;
        // Wide chunks first: each W row segment is read once and x is re-broadcast per chunk, so chunking costs no
        // extra weight traffic; 16 accumulators are as many as the registers hold beside the loads.
        for (; o + 16 * lanes <= outputSize; o += 16 * lanes)
        {
            Vector512<float> a0 = bias == null ? default : Vector512.Load(bias + o + 0 * lanes);
            Vector512<float> a1 = bias == null ? default : Vector512.Load(bias + o + 1 * lanes);
            Vector512<float> a2 = bias == null ? default : Vector512.Load(bias + o + 2 * lanes);
            Vector512<float> a3 = bias == null ? default : Vector512.Load(bias + o + 3 * lanes);
            Vector512<float> a4 = bias == null ? default : Vector512.Load(bias + o + 4 * lanes);
            Vector512<float> a5 = bias == null ? default : Vector512.Load(bias + o + 5 * lanes);
            Vector512<float> a6 = bias == null ? default : Vector512.Load(bias + o + 6 * lanes);
            Vector512<float> a7 = bias == null ? default : Vector512.Load(bias + o + 7 * lanes);
            Vector512<float> a8 = bias == null ? default : Vector512.Load(bias + o + 8 * lanes);
            Vector512<float> a9 = bias == null ? default : Vector512.Load(bias + o + 9 * lanes);
            Vector512<float> a10 = bias == null ? default : Vector512.Load(bias + o + 10 * lanes);
            Vector512<float> a11 = bias == null ? default : Vector512.Load(bias + o + 11 * lanes);
            Vector512<float> a12 = bias == null ? default : Vector512.Load(bias + o + 12 * lanes);
            Vector512<float> a13 = bias == null ? default : Vector512.Load(bias + o + 13 * lanes);
            Vector512<float> a14 = bias == null ? default : Vector512.Load(bias + o + 14 * lanes);
            Vector512<float> a15 = bias == null ? default : Vector512.Load(bias + o + 15 * lanes);
            float* wo = w + o;
            for (int i = 0; i < inputSize; i++, wo += outputSize)
            {
                Vector512<float> xi = Vector512.Create(x[i]);
                a0 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 0 * lanes), a0);
                a1 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 1 * lanes), a1);
                a2 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 2 * lanes), a2);
                a3 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 3 * lanes), a3);
                a4 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 4 * lanes), a4);
                a5 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 5 * lanes), a5);
                a6 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 6 * lanes), a6);
                a7 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 7 * lanes), a7);
                a8 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 8 * lanes), a8);
                a9 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 9 * lanes), a9);
                a10 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 10 * lanes), a10);
                a11 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 11 * lanes), a11);
                a12 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 12 * lanes), a12);
                a13 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 13 * lanes), a13);
                a14 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 14 * lanes), a14);
                a15 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 15 * lanes), a15);
            }

            Store512(a0, y + o + 0 * lanes, relu);
            Store512(a1, y + o + 1 * lanes, relu);
            Store512(a2, y + o + 2 * lanes, relu);
            Store512(a3, y + o + 3 * lanes, relu);
            Store512(a4, y + o + 4 * lanes, relu);
            Store512(a5, y + o + 5 * lanes, relu);
            Store512(a6, y + o + 6 * lanes, relu);
            Store512(a7, y + o + 7 * lanes, relu);
            Store512(a8, y + o + 8 * lanes, relu);
            Store512(a9, y + o + 9 * lanes, relu);
            Store512(a10, y + o + 10 * lanes, relu);
            Store512(a11, y + o + 11 * lanes, relu);
            Store512(a12, y + o + 12 * lanes, relu);
            Store512(a13, y + o + 13 * lanes, relu);
            Store512(a14, y + o + 14 * lanes, relu);
            Store512(a15, y + o + 15 * lanes, relu);
        }

        for (; o + 8 * lanes <= outputSize; o += 8 * lanes)
        {
            Vector512<float> a0 = bias == null ? default : Vector512.Load(bias + o + 0 * lanes);
            Vector512<float> a1 = bias == null ? default : Vector512.Load(bias + o + 1 * lanes);
            Vector512<float> a2 = bias == null ? default : Vector512.Load(bias + o + 2 * lanes);
            Vector512<float> a3 = bias == null ? default : Vector512.Load(bias + o + 3 * lanes);
            Vector512<float> a4 = bias == null ? default : Vector512.Load(bias + o + 4 * lanes);
            Vector512<float> a5 = bias == null ? default : Vector512.Load(bias + o + 5 * lanes);
            Vector512<float> a6 = bias == null ? default : Vector512.Load(bias + o + 6 * lanes);
            Vector512<float> a7 = bias == null ? default : Vector512.Load(bias + o + 7 * lanes);
            float* wo = w + o;
            for (int i = 0; i < inputSize; i++, wo += outputSize)
            {
                Vector512<float> xi = Vector512.Create(x[i]);
                a0 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 0 * lanes), a0);
                a1 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 1 * lanes), a1);
                a2 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 2 * lanes), a2);
                a3 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 3 * lanes), a3);
                a4 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 4 * lanes), a4);
                a5 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 5 * lanes), a5);
                a6 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 6 * lanes), a6);
                a7 = Vector512.FusedMultiplyAdd(xi, Vector512.Load(wo + 7 * lanes), a7);
            }

            Store512(a0, y + o + 0 * lanes, relu);
            Store512(a1, y + o + 1 * lanes, relu);
            Store512(a2, y + o + 2 * lanes, relu);
            Store512(a3, y + o + 3 * lanes, relu);
            Store512(a4, y + o + 4 * lanes, relu);
            Store512(a5, y + o + 5 * lanes, relu);
            Store512(a6, y + o + 6 * lanes, relu);
            Store512(a7, y + o + 7 * lanes, relu);
        }

        for (; o + lanes <= outputSize; o += lanes)
        {
            // Two partial sums over even and odd inputs halve the FMA latency chain of a lone vector.
            Vector512<float> a = bias == null ? default : Vector512.Load(bias + o), b = default;
            float* wo = w + o;
            int i = 0;
            for (; i + 1 < inputSize; i += 2, wo += 2 * outputSize)
            {
                a = Vector512.FusedMultiplyAdd(Vector512.Create(x[i]), Vector512.Load(wo), a);
                b = Vector512.FusedMultiplyAdd(Vector512.Create(x[i + 1]), Vector512.Load(wo + outputSize), b);
            }

            if (i < inputSize)
            {
                a = Vector512.FusedMultiplyAdd(Vector512.Create(x[i]), Vector512.Load(wo), a);
            }

            Store512(a + b, y + o, relu);
        }

        Tail(x, w, bias, y, inputSize, outputSize, o, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(Vector512<float> a, float* y, bool relu) =>
        (relu ? Vector512.Max(a, Vector512<float>.Zero) : a).Store(y);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply256(float* x, float* w, float* bias, float* y, int inputSize, int outputSize, bool relu)
    {
        const int lanes = 8;
        int o = 0;
        // Wide chunks first: each W row segment is read once and x is re-broadcast per chunk, so chunking costs no
        // extra weight traffic; 8 accumulators are as many as the registers hold beside the loads.
        for (; o + 8 * lanes <= outputSize; o += 8 * lanes)
        {
            Vector256<float> a0 = bias == null ? default : Vector256.Load(bias + o + 0 * lanes);
            Vector256<float> a1 = bias == null ? default : Vector256.Load(bias + o + 1 * lanes);
            Vector256<float> a2 = bias == null ? default : Vector256.Load(bias + o + 2 * lanes);
            Vector256<float> a3 = bias == null ? default : Vector256.Load(bias + o + 3 * lanes);
            Vector256<float> a4 = bias == null ? default : Vector256.Load(bias + o + 4 * lanes);
            Vector256<float> a5 = bias == null ? default : Vector256.Load(bias + o + 5 * lanes);
            Vector256<float> a6 = bias == null ? default : Vector256.Load(bias + o + 6 * lanes);
            Vector256<float> a7 = bias == null ? default : Vector256.Load(bias + o + 7 * lanes);
            float* wo = w + o;
            for (int i = 0; i < inputSize; i++, wo += outputSize)
            {
                Vector256<float> xi = Vector256.Create(x[i]);
                a0 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(wo + 0 * lanes), a0);
                a1 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(wo + 1 * lanes), a1);
                a2 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(wo + 2 * lanes), a2);
                a3 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(wo + 3 * lanes), a3);
                a4 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(wo + 4 * lanes), a4);
                a5 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(wo + 5 * lanes), a5);
                a6 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(wo + 6 * lanes), a6);
                a7 = Vector256.FusedMultiplyAdd(xi, Vector256.Load(wo + 7 * lanes), a7);
            }

            Store256(a0, y + o + 0 * lanes, relu);
            Store256(a1, y + o + 1 * lanes, relu);
            Store256(a2, y + o + 2 * lanes, relu);
            Store256(a3, y + o + 3 * lanes, relu);
            Store256(a4, y + o + 4 * lanes, relu);
            Store256(a5, y + o + 5 * lanes, relu);
            Store256(a6, y + o + 6 * lanes, relu);
            Store256(a7, y + o + 7 * lanes, relu);
        }

        for (; o + lanes <= outputSize; o += lanes)
        {
            // Two partial sums over even and odd inputs halve the FMA latency chain of a lone vector.
            Vector256<float> a = bias == null ? default : Vector256.Load(bias + o), b = default;
            float* wo = w + o;
            int i = 0;
            for (; i + 1 < inputSize; i += 2, wo += 2 * outputSize)
            {
                a = Vector256.FusedMultiplyAdd(Vector256.Create(x[i]), Vector256.Load(wo), a);
                b = Vector256.FusedMultiplyAdd(Vector256.Create(x[i + 1]), Vector256.Load(wo + outputSize), b);
            }

            if (i < inputSize)
            {
                a = Vector256.FusedMultiplyAdd(Vector256.Create(x[i]), Vector256.Load(wo), a);
            }

            Store256(a + b, y + o, relu);
        }

        Tail(x, w, bias, y, inputSize, outputSize, o, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(Vector256<float> a, float* y, bool relu) =>
        (relu ? Vector256.Max(a, Vector256<float>.Zero) : a).Store(y);

    private static void MultiplyScalar(float* x, float* w, float* bias, float* y, int inputSize, int outputSize,
                                       bool relu)
    {
        for (int o = 0; o < outputSize; o++)
        {
            y[o] = bias == null ? 0f : bias[o];
        }

        // W rows are contiguous: walk them in order rather than striding down a column per output.
        for (int i = 0; i < inputSize; i++)
        {
            float xi = x[i];
            float* row = w + (nint)i * outputSize;
            for (int o = 0; o < outputSize; o++)
            {
                y[o] += xi * row[o];
            }
        }

        if (relu)
        {
            for (int o = 0; o < outputSize; o++)
            {
                y[o] = MathF.Max(y[o], 0f);
            }
        }
    }

    private static void Tail(float* x, float* w, float* bias, float* y, int inputSize, int outputSize, int start,
                             bool relu)
    {
        for (int o = start; o < outputSize; o++)
        {
            float sum = bias == null ? 0f : bias[o];
            for (int i = 0; i < inputSize; i++)
            {
                sum += x[i] * w[(nint)i * outputSize + o];
            }

            y[o] = relu ? MathF.Max(sum, 0f) : sum;
        }
    }
}
