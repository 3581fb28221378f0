using System.Runtime.CompilerServices;

namespace Clickwise.Metrics;

/// <summary>
/// Binary cross-entropy (logloss), averaged over rows, accumulated in double.
/// </summary>
/// <remarks>
/// From probabilities, p is clipped to [<see cref="Epsilon"/>, 1 - <see cref="Epsilon"/>] first, so a
/// confident wrong prediction costs at most -ln(1e-7) ≈ 16.1 instead of infinity (scikit-learn's old default
/// clip; the model's float sigmoid saturates to exactly 0 or 1 near |z| ≈ 17 and 88). From logits the loss is
/// max(z, 0) - z·y + ln(1 + e^-|z|), exact for every finite z, and capped at the same -ln(1e-7): one row with a
/// huge wrong logit would otherwise outweigh millions of others (a logit of -2.8e16 gave a mean logloss of 2.8e16),
/// and a metric must mean the same from probabilities and from logits. No rows → NaN.
/// </remarks>
public static class LogLoss
{
    /// <summary>The probability clip, 1e-7.</summary>
    public const double Epsilon = 1e-7;

    /// <summary>One row's loss from a probability, clipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FromProbability(double probability, bool positive)
    {
        // Clip the probability given to the true class, so both classes get exactly the same bounds.
        double p = positive ? probability : 1 - probability;
        return -Math.Log(Math.Clamp(p, Epsilon, 1 - Epsilon));
    }

    /// <summary>The most one row can cost, -ln(<see cref="Epsilon"/>) ≈ 16.118.</summary>
    public static readonly double MaxRowLoss = -Math.Log(Epsilon);

    /// <summary>One row's loss from a logit z (p = sigmoid(z)), numerically stable, capped at <see cref="MaxRowLoss"/> (NaN stays NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double FromLogit(double logit, bool positive) =>
        Math.Min(Math.Max(logit, 0) - (positive ? logit : 0) + LogOnePlus(Math.Exp(-Math.Abs(logit))), MaxRowLoss);

    /// <summary>Mean clipped logloss of probabilities.</summary>
    public static double FromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels) =>
        Mean(probabilities, labels, fromLogits: false);

    /// <summary>Mean logloss of logits, numerically stable, each row capped like a clipped probability.</summary>
    public static double FromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels) =>
        Mean(logits, labels, fromLogits: true);

    private static double Mean(ReadOnlySpan<float> values, ReadOnlySpan<float> labels, bool fromLogits)
    {
        Label.CheckLengths(values.Length, labels.Length);
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            bool positive = Label.IsPositive(labels[i]);
            sum += fromLogits ? FromLogit(values[i], positive) : FromProbability(values[i], positive);
        }

        return values.Length == 0 ? double.NaN : sum / values.Length;
    }

    /// <summary>
    /// ln(1 + x) accurate for tiny x (Goldberg's trick: the rounding of 1 + x cancels in x / (u - 1)), so a
    /// confident correct logit still has a positive loss, e^-|z|, instead of 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double LogOnePlus(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>The logistic function in double, stable for large |z|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double logit) =>
        logit >= 0 ? 1 / (1 + Math.Exp(-logit)) : Math.Exp(logit) / (1 + Math.Exp(logit));
}
