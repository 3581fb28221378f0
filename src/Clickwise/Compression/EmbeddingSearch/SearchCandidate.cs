namespace Clickwise.Compression.EmbeddingSearch;

/// <summary>One evaluated set of per-field widths: its fitness (validation AUC in OptEmbed) and the table parameters it keeps.</summary>
public sealed record SearchCandidate(IReadOnlyList<int> Dims, double Fitness, long Parameters);
