namespace Clickwise.Layers;

/// <summary>The global offset w0 shared by every row of the batch: y[b] += w0.</summary>
public static class GlobalBias
{
    /// <summary>Adds the bias to every logit (the one layer that accumulates forward: it is an offset, not an output).</summary>
    public static void Forward(float bias, int batchSize, Span<float> logits)
    {
        for (int b = 0; b < batchSize; b++)
        {
            logits[b] += bias;
        }
    }

    /// <returns>Σ_b dLogits[b], to be accumulated into the bias gradient.</returns>
    public static float Backward(ReadOnlySpan<float> dLogits, int batchSize)
    {
        double sum = 0;
        for (int b = 0; b < batchSize; b++)
        {
            sum += dLogits[b];
        }

        return (float)sum;
    }
}
