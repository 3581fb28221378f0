using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>y = max(x, 0). Backward reads the output (y &gt; 0 ⇔ x &gt; 0), so the input need not be kept and the
/// forward may run in place.</summary>
public static class Relu
{
    public static void Forward(ReadOnlySpan<float> input, int length, Span<float> output)
    {
        TensorPrimitives.Max(input[..length], 0f, output[..length]);
    }

    /// <param name="dInput">Accumulated.</param>
    public static void Backward(ReadOnlySpan<float> output, ReadOnlySpan<float> dOutput, int length, Span<float> dInput)
    {
        for (int i = 0; i < length; i++)
        {
            if (output[i] > 0f)
            {
                dInput[i] += dOutput[i];
            }
        }
    }
}
