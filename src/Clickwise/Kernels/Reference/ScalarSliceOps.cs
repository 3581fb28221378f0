namespace Clickwise.Kernels.Reference;

/// <summary>Plain loops, multiply then add: the tensor-train chain's reference arithmetic.</summary>
internal readonly struct ScalarSliceOps : ISliceOps
{
    public static void AddScaled(ReadOnlySpan<float> x, float a, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        float sum = 0f;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }
}
