namespace Clickwise.Training;

/// <summary>
/// Binary cross-entropy computed from logits, stable for any z: ℓ = max(z,0) − z·y + log(1 + e^−|z|), never
/// log(σ(z)). Its gradient is σ(z) − y. (If the models area ships its own, this file is the one to remove.)
/// </summary>
public static class LogLoss
{
    /// <summary>Mean loss over the batch and dLogits [B] = (σ(z) − y) / B; NaN/Inf logits give a non-finite mean.</summary>
    public static double MeanWithGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, Span<float> dLogits)
    {
        int n = logits.Length;
        if (labels.Length != n || dLogits.Length != n)
        {
            throw new ArgumentException("logits, labels and dLogits differ in length.");
        }

        if (n == 0)
        {
            return 0;
        }

        double sum = 0;
        float invB = 1f / n;
        for (int i = 0; i < n; i++)
        {
            float z = logits[i];
            float y = labels[i];
            sum += Loss(z, y);
            dLogits[i] = (Sigmoid(z) - y) * invB;
        }

        return sum / n;
    }

    /// <summary>The loss of one logit against a 0/1 label.</summary>
    public static double Loss(float logit, float label)
    {
        double z = logit;
        return Math.Max(z, 0) - z * label + Math.Log(1 + Math.Exp(-Math.Abs(z)));
    }

    /// <summary>σ(z) without overflow for large |z|.</summary>
    public static float Sigmoid(float z)
    {
        if (z >= 0)
        {
            return 1f / (1f + MathF.Exp(-z));
        }

        float e = MathF.Exp(z);
        return e / (1f + e);
    }
}
