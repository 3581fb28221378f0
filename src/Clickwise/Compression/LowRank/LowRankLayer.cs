namespace Clickwise.Compression.LowRank;

/// <summary>
/// One layer (or field) as low-rank compression saw it: its output width, the rank kept and the eigenvalues of its
/// output covariance, from which the energy table (the paper's Table 11) and AFM's reconstruction error follow.
/// </summary>
public sealed record LowRankLayer(string Name, int Width, int Rank, IReadOnlyList<double> Eigenvalues)
{
    /// <summary>‖original − compressed‖_F / ‖original‖_F where the compressor measured it (tensor-train fields); null elsewhere.</summary>
    public double? RelativeError { get; init; }

    /// <summary>Share of Σ√λ held by the top <see cref="Rank"/> singular values.</summary>
    public double EnergyKept
    {
        get
        {
            double total = Eigenvalues.Sum(l => Math.Sqrt(l));
            return total == 0 ? 1 : Eigenvalues.Take(Rank).Sum(l => Math.Sqrt(l)) / total;
        }
    }

    /// <summary>Σ_{j&gt;k} λ_j: AFM's mean squared reconstruction error of the layer's output, summed over its units.</summary>
    public double DroppedVariance => Eigenvalues.Skip(Rank).Sum();

    /// <summary>How many top singular values hold <paramref name="share"/> of their sum.</summary>
    public int RankHolding(double share) => RankSpec.EnergyRank(Eigenvalues, share);
}
