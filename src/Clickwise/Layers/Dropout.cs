using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>
/// Inverted dropout: each element is kept with probability 1 − rate and scaled by 1 / (1 − rate), so evaluation
/// needs no rescaling. The mask holds the scale per element (0 or 1 / (1 − rate)) and is drawn once per forward
/// from the model's <see cref="SeededRandom"/>; backward multiplies by the same mask.
/// </summary>
public static class Dropout
{
    /// <summary>The mask of the next <paramref name="mask"/>.Length elements; the reference for <see cref="DropoutStream"/>.</summary>
    public static void FillMask(SeededRandom random, float rate, Span<float> mask)
    {
        // Four 16-bit draws per 64-bit random word: the mask is regenerated every step for every hidden unit,
        // and the rate's resolution of 1/65536 is far below anything a model can notice.
        (int threshold, float scale) = Parameters(rate);
        int i = 0;
        while (i < mask.Length)
        {
            ulong bits = random.NextUInt64();
            for (int k = 0; k < 4 && i < mask.Length; k++, i++, bits >>= 16)
            {
                // Branch-free: keep = 0 when the draw is below the threshold, else 1 (a 50% branch mispredicts).
                int keep = 1 + (((int)(bits & 0xFFFF) - threshold) >> 31);
                mask[i] = keep * scale;
            }
        }
    }

    /// <summary>A 16-bit draw d keeps its element when d ≥ threshold; kept elements are scaled by 1 / (1 − rate).</summary>
    internal static (int Threshold, float Scale) Parameters(float rate)
    {
        if (rate is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "dropout rate must be in [0, 1).");
        }

        return ((int)MathF.Round(rate * 65536f), 1f / (1f - rate));
    }

    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> mask, int length, Span<float> output)
    {
        TensorPrimitives.Multiply(input[..length], mask[..length], output[..length]);
    }

    /// <param name="dInput">Accumulated.</param>
    public static void Backward(ReadOnlySpan<float> mask, ReadOnlySpan<float> dOutput, int length, Span<float> dInput)
    {
        TensorPrimitives.MultiplyAdd(dOutput[..length], mask[..length], dInput[..length], dInput[..length]);
    }
}
