namespace Clickwise.Layers;

/// <summary>
/// Sigmoid + binary cross-entropy from logits, averaged over the batch: the training loss. Computed as
/// max(z, 0) − z·y + log(1 + e^(−|z|)), which never overflows and keeps precision for large |z|; its gradient is
/// σ(z) − y. <see cref="Sigmoid"/> is also the model's probability (inference). Evaluation metrics in double, with
/// the probability clip, are <see cref="Metrics.LogLoss"/>.
/// </summary>
public static class BinaryLogLoss
{
    /// <returns>Mean loss over the batch (0 for no rows, NaN when a logit is NaN or infinite); writes dLogits[b] = (σ(z_b) − y_b) / B.</returns>
    public static double Forward(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, int batchSize, Span<float> dLogits)
    {
        if (logits.Length < batchSize || labels.Length < batchSize || dLogits.Length < batchSize)
        {
            throw new ArgumentException("logits, labels and dLogits must hold batchSize entries.");
        }

        if (batchSize == 0)
        {
            return 0;
        }

        double total = 0;
        float inv = 1f / batchSize;
        for (int b = 0; b < batchSize; b++)
        {
            double z = logits[b];
            double y = labels[b];
            total += Math.Max(z, 0.0) - z * y + Math.Log(1.0 + Math.Exp(-Math.Abs(z)));
            dLogits[b] = (Sigmoid(logits[b]) - labels[b]) * inv;
        }

        return total / batchSize;
    }

    /// <summary>Numerically stable logistic function: never evaluates e^(+large).</summary>
    public static float Sigmoid(float z)
    {
        if (z >= 0f)
        {
            return 1f / (1f + MathF.Exp(-z));
        }

        float e = MathF.Exp(z);
        return e / (1f + e);
    }
}
