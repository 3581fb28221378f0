using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>
/// The element-wise step every DCNv2-style cross layer ends with: y = x_0 ⊙ u + x_l, over flat [B·X] spans.
/// </summary>
internal static class CrossProduct
{
    public static void Forward(ReadOnlySpan<float> x0, ReadOnlySpan<float> u, ReadOnlySpan<float> input, Span<float> output) =>
        TensorPrimitives.FusedMultiplyAdd(x0, u, input, output);

    /// <summary>dX0 += dY ⊙ u, dU = dY ⊙ x_0 (overwritten), dInput += dY. dX0 and dInput may alias.</summary>
    public static void Backward(ReadOnlySpan<float> x0, ReadOnlySpan<float> u, ReadOnlySpan<float> dOutput,
                                Span<float> dX0, Span<float> dU, Span<float> dInput)
    {
        TensorPrimitives.FusedMultiplyAdd(dOutput, u, dX0, dX0);
        TensorPrimitives.Multiply(dOutput, x0, dU);
        TensorPrimitives.Add(dInput, dOutput, dInput);
    }
}
