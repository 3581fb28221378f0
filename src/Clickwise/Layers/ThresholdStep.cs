namespace Clickwise.Layers;

/// <summary>
/// The unit step S of OptEmbed's row mask and the long-tail straight-through estimator H that stands for its derivative
/// in the backward (Liu et al. 2020, Dynamic Sparse Training): S(x) = 1[x &gt; 0]; H(x) = 2 − 4|x| for |x| ≤ 0.4, 0.4 for
/// 0.4 &lt; |x| ≤ 1, 0 beyond. H keeps a small gradient for rows far from their threshold, so a pruned row can come back.
/// </summary>
/// <remarks>Lyu et al., "OptEmbed: Learning Optimal Embedding Table for Click-through Rate Prediction", CIKM 2022, eq. 9-10.</remarks>
public static class ThresholdStep
{
    public static float Step(float x) => x > 0f ? 1f : 0f;

    public static float Estimator(float x)
    {
        float a = MathF.Abs(x);
        return a <= 0.4f ? 2f - (4f * a) : a <= 1f ? 0.4f : 0f;
    }
}
