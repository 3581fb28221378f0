using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// The LR (first-order) term without the global bias: y[b] = Σ_f w[ids[b, f]] · values[b, f] plus
/// Σ_e w[id_e] · v_e over the extra features of multi-hot fields, with w a row-sparse table [V, 1].
/// </summary>
public static class FirstOrder
{
    /// <param name="weights">[V] one weight per global feature row.</param>
    /// <param name="output">[B].</param>
    /// <param name="extras">The extra features of the B·F lookups; empty for a one-hot batch.</param>
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, bool hasValues,
                               int batchSize, int fieldCount, Span<float> output, ExtraLookups extras = default)
    {
        for (int b = 0; b < batchSize; b++)
        {
            output[b] = Row(weights, ids, hasValues ? values : default, extras, fieldCount, b);
        }
    }

    /// <summary>Row b's term, the one sum of training and the inference op (<see cref="Inference.Ops.FirstOrderOp"/>).</summary>
    /// <param name="values">[B, F], or empty for all ones.</param>
    public static float Row(ReadOnlySpan<float> weights, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras,
                            int fieldCount, int b)
    {
        float sum = 0f;
        int row = b * fieldCount;
        for (int f = 0; f < fieldCount; f++)
        {
            float w = weights[ids[row + f]];
            sum += values.IsEmpty ? w : w * values[row + f];
        }

        if (!extras.IsEmpty)
        {
            for (int e = extras.Offsets[row]; e < extras.Offsets[row + fieldCount]; e++)
            {
                sum += weights[extras.Ids[e]] * extras.Values[e];
            }
        }

        return sum;
    }

    /// <summary>
    /// Accumulates ∂L/∂w into the touched rows (each extra feature its v_e · dy) and, when <paramref name="dValues"/> is
    /// not empty, ∂L/∂values of the first features.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> weights, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, bool hasValues,
                                ReadOnlySpan<float> dOutput, int batchSize, int fieldCount,
                                RowGradient weightGrad, Span<float> dValues, ExtraLookups extras = default)
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

            if (!extras.IsEmpty)
            {
                for (int e = extras.Offsets[row]; e < extras.Offsets[row + fieldCount]; e++)
                {
                    weightGrad.Row(extras.Ids[e])[0] += g * extras.Values[e];
                }
            }
        }
    }
}
