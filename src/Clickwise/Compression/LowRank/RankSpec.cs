using System.Globalization;

namespace Clickwise.Compression.LowRank;

/// <summary>
/// How many eigen-directions each compressible layer keeps: fixed ranks per layer (<c>0,64,64</c>, where 0 leaves the
/// layer untouched) or by energy (<c>energy:0.95</c>: the smallest k whose singular values √λ_1..√λ_k hold that share
/// of their sum, the measure of the paper's Table 11).
/// </summary>
public sealed record RankSpec
{
    private RankSpec(int[]? ranks, double? energy) => (Ranks, Energy) = (ranks, energy);

    /// <summary>Fixed ranks, one per layer; null when chosen by energy.</summary>
    public int[]? Ranks { get; }

    /// <summary>The energy share ρ in (0, 1]; null for fixed ranks.</summary>
    public double? Energy { get; }

    public static RankSpec Parse(string text)
    {
        string spec = text.Trim();
        if (spec.StartsWith("energy:", StringComparison.OrdinalIgnoreCase))
        {
            string share = spec["energy:".Length..];
            if (!double.TryParse(share, NumberStyles.Float, CultureInfo.InvariantCulture, out double rho) || rho is <= 0 or > 1)
            {
                throw new FormatException($"rank '{text}': the energy share must be a number in (0, 1], e.g. energy:0.95.");
            }

            return new RankSpec(null, rho);
        }

        string[] parts = spec.Split(',', StringSplitOptions.TrimEntries);
        var ranks = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ranks[i]))
            {
                throw new FormatException($"rank '{text}': '{parts[i]}' is not a rank; give ranks per layer (0,64,64) or energy:ρ.");
            }
        }

        return new RankSpec(ranks, null);
    }

    /// <summary>
    /// The rank of layer <paramref name="layer"/> of <paramref name="layerCount"/> given its eigenvalues (descending);
    /// 0 means leave it. A single fixed rank applies to every layer; a fixed rank never exceeds the layer's width.
    /// </summary>
    public int RankFor(int layer, int layerCount, IReadOnlyList<double> eigenvalues)
    {
        if (Energy is { } rho)
        {
            return EnergyRank(eigenvalues, rho);
        }

        int[] ranks = Ranks!;
        if (ranks.Length != 1 && ranks.Length != layerCount)
        {
            throw new FormatException($"{ranks.Length} ranks given for {layerCount} layers: give one per layer or a single one.");
        }

        return Math.Min(ranks.Length == 1 ? ranks[0] : ranks[layer], eigenvalues.Count);
    }

    /// <summary>The smallest k with Σ_{j≤k} √λ_j ≥ ρ·Σ_j √λ_j.</summary>
    public static int EnergyRank(IReadOnlyList<double> eigenvalues, double rho)
    {
        double total = eigenvalues.Sum(l => Math.Sqrt(Math.Max(l, 0)));
        if (total == 0)
        {
            return 1;
        }

        double kept = 0;
        for (int k = 0; k < eigenvalues.Count; k++)
        {
            kept += Math.Sqrt(Math.Max(eigenvalues[k], 0));
            if (kept >= rho * total * (1 - 1e-12))
            {
                return k + 1;
            }
        }

        return eigenvalues.Count;
    }

    public override string ToString() =>
        Energy is { } rho ? $"energy:{rho.ToString(CultureInfo.InvariantCulture)}" : string.Join(',', Ranks!);
}
