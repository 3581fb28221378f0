using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// <see cref="ISlicedEllKernel"/> as a fixed sequence of 8-lane gathers and FMAs per slice (AVX2): nothing branches on
/// the input. Registered only where AVX2 and FMA run.
/// </summary>
public sealed unsafe class GatherSlicedEll : ISlicedEllKernel
{
    private const int SliceWidth = SlicedEllMatrix.SliceWidth;

    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    public string Name => "sell-gather";

    /// <remarks>Optimised from the first call: the compiler times the sparse kernels right after building them.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SumSlices(float* input, int* sliceStart, int* index, float* value, int slices, float* initial, float* sums, bool relu)
    {
        for (int s = 0; s < slices; s++)
        {
            int start = sliceStart[s] * SliceWidth, end = sliceStart[s + 1] * SliceWidth;
            // Two accumulators keep two gathers in flight behind the FMA latency.
            Vector256<float> even = initial is null ? Vector256<float>.Zero : Avx.LoadVector256(initial + s * SliceWidth);
            Vector256<float> odd = Vector256<float>.Zero;
            int k = start;
            for (; k + 2 * SliceWidth <= end; k += 2 * SliceWidth)
            {
                even = Fma.MultiplyAdd(Avx2.GatherVector256(input, Avx.LoadVector256(index + k), 4), Avx.LoadVector256(value + k), even);
                odd = Fma.MultiplyAdd(Avx2.GatherVector256(input, Avx.LoadVector256(index + k + SliceWidth), 4),
                    Avx.LoadVector256(value + k + SliceWidth), odd);
            }

            if (k < end)
            {
                even = Fma.MultiplyAdd(Avx2.GatherVector256(input, Avx.LoadVector256(index + k), 4), Avx.LoadVector256(value + k), even);
            }

            Vector256<float> sum = even + odd;
            Avx.Store(sums + s * SliceWidth, relu ? Vector256.Max(sum, Vector256<float>.Zero) : sum);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Dot(float* x, float* w, int count, float initial)
    {
        float sum = initial;
        int k = 0;
        if (count >= SliceWidth)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (; k + SliceWidth <= count; k += SliceWidth)
            {
                acc += Vector256.Load(x + k) * Vector256.Load(w + k);
            }

            sum += Vector256.Sum(acc);
        }

        for (; k < count; k++)
        {
            sum += x[k] * w[k];
        }

        return sum;
    }
}
