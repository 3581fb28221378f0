namespace Clickwise.Layers;

/// <summary>y = max(x, 0). Backward reads the output (y &gt; 0 ⇔ x &gt; 0), so the input need not be kept and the
/// forward may run in place.</summary>
public static class Relu
{
    public static void Forward(ReadOnlySpan<float> input, int length, Span<float> output)
    {
        for (int i = 0; i < length; i++)
        {
            float x = input[i];
            output[i] = x > 0f ? x : 0f;
        }
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
