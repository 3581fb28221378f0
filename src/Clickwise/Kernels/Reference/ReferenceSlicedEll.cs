using System.Runtime.CompilerServices;

namespace Clickwise.Kernels.Reference;

/// <summary>Element-by-element loops: the specification of <see cref="ISlicedEllKernel"/>.</summary>
public sealed unsafe class ReferenceSlicedEll : ISlicedEllKernel
{
    private const int SliceWidth = SlicedEllMatrix.SliceWidth;

    public string Name => "sell-reference";

    // Optimised from the first call, like the fast variant: the compiler times the sparse kernels right after building them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SumSlices(float* input, int* sliceStart, int* index, float* value, int slices, float* initial, float* sums, bool relu)
    {
        for (int s = 0; s < slices; s++)
        {
            for (int lane = 0; lane < SliceWidth; lane++)
            {
                int at = s * SliceWidth + lane;
                float sum = initial is null ? 0f : initial[at];
                for (int k = sliceStart[s] * SliceWidth + lane; k < sliceStart[s + 1] * SliceWidth; k += SliceWidth)
                {
                    sum += input[index[k]] * value[k];
                }

                sums[at] = relu ? Math.Max(sum, 0f) : sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Dot(float* x, float* w, int count, float initial)
    {
        float sum = initial;
        for (int k = 0; k < count; k++)
        {
            sum += x[k] * w[k];
        }

        return sum;
    }
}
