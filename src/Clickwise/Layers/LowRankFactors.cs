namespace Clickwise.Layers;

/// <summary>
/// A hidden layer's weight replaced by two factors (AFM or SVD low-rank compression): z = (φ(x·Down + DownBias))·Up,
/// to which the layer's own bias, activation and dropout then apply as before. φ is a ReLU when
/// <see cref="InnerRelu"/> (AFM's default, seed 002 §3.2), else the identity, which makes AFM exact at full rank.
/// Down is [in, k], Up [k, out]: k = <see cref="Rank"/>.
/// </summary>
public sealed record LowRankFactors(Parameter Down, Parameter DownBias, Parameter Up, bool InnerRelu)
{
    public int Rank => DownBias.Value.Length;
}
