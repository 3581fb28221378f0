namespace Clickwise.Layers;

/// <summary>
/// The LR (first-order) term without the global bias: y[b] = Σ_f w[ids[b, f]] · values[b, f], with w a
/// row-sparse table [V, 1].
/// </summary>
public static class FirstOrder
{
    /// <param name="weights">[V] one weight per global feature row.</param>
    /// <param name="output">[B].</param>
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, bool hasValues,
                               int batchSize, int fieldCount, Span<float> output)
    {
        for (int b = 0; b < batchSize; b++)
        {
            float sum = 0f;
            int row = b * fieldCount;
            for (int f = 0; f < fieldCount; f++)
            {
                float w = weights[ids[row + f]];
                sum += hasValues ? w * values[row + f] : w;
            }

            output[b] = sum;
        }
    }

    /// <summary>Accumulates ∂L/∂w into the touched rows and, when <paramref name="dValues"/> is not empty, ∂L/∂values.</summary>
    public static void Backward(ReadOnlySpan<float> weights, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, bool hasValues,
                                ReadOnlySpan<float> dOutput, int batchSize, int fieldCount,
                                RowGradient weightGrad, Span<float> dValues)
    {
        for (int b = 0; b < batchSize; b++)
        {
            float g = dOutput[b];
            int row = b * fieldCount;
            for (int f = 0; f < fieldCount; f++)
            {
                int id = ids[row + f];
                weightGrad.Row(id)[0] += hasValues ? g * values[row + f] : g;
                if (!dValues.IsEmpty)
                {
                    dValues[row + f] += g * weights[id];
                }
            }
        }
    }
}
