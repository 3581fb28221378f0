namespace Clickwise.Compression.EmbeddingSearch;

/// <summary>
/// Settings of OptEmbed's evolutionary search over per-field widths (seed 004, Algorithm 1). The defaults are the reference
/// code's README: n_m = 10 mutations and n_c = 10 crossovers a generation (a population of 20), T = 30 generations,
/// mutation probability 0.1 per field, a Top-15 archive. <see cref="Budget"/> is ours: the paper has none.
/// </summary>
public sealed record EvolutionSettings
{
    public int Generations { get; init; } = 30;

    public int Mutations { get; init; } = 10;

    public int Crossovers { get; init; } = 10;

    public double MutationProbability { get; init; } = 0.1;

    public int TopK { get; init; } = 15;

    public int Seed { get; init; } = 2022;

    /// <summary>At most this many table parameters Σ_f kept_f·D_f for a candidate; 0 (the default): no budget.</summary>
    public long Budget { get; init; }

    public int Population => Mutations + Crossovers;

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting.</summary>
    public void Validate()
    {
        if (Generations < 1 || Mutations < 0 || Crossovers < 0 || Population < 1 || TopK < 1)
        {
            throw new ArgumentException(
                $"evolution: generations ({Generations}) and topk ({TopK}) take 1 or more, mutations ({Mutations}) and crossovers ({Crossovers}) 0 or more, not both 0.");
        }

        if (!(MutationProbability is >= 0 and <= 1))
        {
            throw new ArgumentException($"evolution: the mutation probability takes 0..1, got {MutationProbability}.");
        }

        if (Budget < 0)
        {
            throw new ArgumentException($"evolution: the budget is a parameter count (0: none), got {Budget}.");
        }
    }
}
