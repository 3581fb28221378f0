namespace Clickwise.Compression.EmbeddingSearch;

/// <summary>
/// What the evolutionary search found: the best candidate, the final Top-k archive (best first), the archive's best fitness
/// after each generation (never decreasing) and how many distinct candidates were evaluated.
/// </summary>
public sealed record SearchResult(SearchCandidate Best, IReadOnlyList<SearchCandidate> Archive, IReadOnlyList<double> BestByGeneration, int Evaluations);
