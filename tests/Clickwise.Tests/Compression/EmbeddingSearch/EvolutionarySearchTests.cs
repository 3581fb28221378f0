using Clickwise.Compression.EmbeddingSearch;

namespace Clickwise.Tests.Compression.EmbeddingSearch;

/// <summary>OptEmbed's evolutionary search on known fitness landscapes: determinism, monotone best, copies, the cut, the budget.</summary>
public sealed class EvolutionarySearchTests
{
    private const int Fields = 8, MaxDim = 16;
    private static readonly int[] Target = [3, 16, 1, 8, 12, 5, 16, 2];

    /// <summary>A separable landscape with one optimum (Target), scaled like an AUC.</summary>
    private static double Closeness(int[] dims) => 0.8 - (0.001 * dims.Select((d, f) => Math.Abs(d - Target[f])).Sum());

    private static long Parameters(int[] dims) => dims.Select((d, f) => (long)d * (100 + (10 * f))).Sum();

    [Fact]
    public void TheSameSeedGivesTheSameSearchAndAnotherSeedAnotherOne()
    {
        SearchResult a = new EvolutionarySearch(new EvolutionSettings(), Fields, MaxDim, Closeness, Parameters).Run();
        SearchResult b = new EvolutionarySearch(new EvolutionSettings(), Fields, MaxDim, Closeness, Parameters).Run();
        SearchResult c = new EvolutionarySearch(new EvolutionSettings { Seed = 7 }, Fields, MaxDim, Closeness, Parameters).Run();

        Assert.Equal(a.Archive.Select(x => string.Join(',', x.Dims)), b.Archive.Select(x => string.Join(',', x.Dims)));
        Assert.Equal(a.BestByGeneration, b.BestByGeneration);
        Assert.Equal(a.Evaluations, b.Evaluations);
        Assert.NotEqual(a.Archive.Select(x => string.Join(',', x.Dims)), c.Archive.Select(x => string.Join(',', x.Dims)));
    }

    /// <summary>
    /// The paper's defaults (600 evaluations at most) climb a separable landscape: the best-so-far never falls, ends far
    /// above the random start, and every archived candidate still scores what it scored when archived (no in-place edits).
    /// </summary>
    [Fact]
    public void BestSoFarNeverFallsAndArchivedCandidatesAreNeverEditedInPlace()
    {
        SearchResult result = new EvolutionarySearch(new EvolutionSettings(), Fields, MaxDim, Closeness, Parameters).Run();

        Assert.Equal(30, result.BestByGeneration.Count);
        for (int g = 1; g < result.BestByGeneration.Count; g++)
        {
            Assert.True(result.BestByGeneration[g] >= result.BestByGeneration[g - 1], $"generation {g} fell");
        }

        Assert.True(result.BestByGeneration[^1] - result.BestByGeneration[0] >= 0.01, $"{result.BestByGeneration[0]} -> {result.BestByGeneration[^1]}");
        Assert.True(Closeness(Target) - result.Best.Fitness <= 0.004, $"best {string.Join(',', result.Best.Dims)} scores {result.Best.Fitness}");
        Assert.InRange(result.Evaluations, 100, 600);
        Assert.Equal(15, result.Archive.Count);
        Assert.All(result.Archive, c => Assert.Equal(Closeness([.. c.Dims]), c.Fitness));
        Assert.All(result.Archive, c => Assert.Equal(Parameters([.. c.Dims]), c.Parameters));
        Assert.Equal(result.Archive.Max(c => c.Fitness), result.Best.Fitness);
    }

    [Fact]
    public void CrossoverCutsBetweenTheFirstAndTheLastFieldAndCopies()
    {
        var search = new EvolutionarySearch(new EvolutionSettings(), Fields, MaxDim, Closeness, Parameters);
        int[] cuts = [.. Enumerable.Range(0, 2000).Select(_ => search.CutPoint())];
        Assert.Equal(1, cuts.Min());
        Assert.Equal(Fields - 1, cuts.Max());

        int[] first = [1, 1, 1, 1], second = [9, 9, 9, 9];
        int[] child = EvolutionarySearch.Crossover(first, second, 3);
        Assert.Equal([1, 1, 1, 9], child);
        child[0] = 5;
        Assert.Equal([1, 1, 1, 1], first);
    }

    [Fact]
    public void ABudgetKeepsEveryArchivedCandidateWithinIt()
    {
        long budget = Parameters(Target) / 2; // the unconstrained optimum does not fit
        SearchResult result = new EvolutionarySearch(new EvolutionSettings { Budget = budget }, Fields, MaxDim, Closeness, Parameters).Run();

        Assert.All(result.Archive, c => Assert.True(c.Parameters <= budget, $"{c.Parameters} > {budget}"));
        Assert.True(result.Best.Fitness < Closeness(Target));
        Assert.True(result.Best.Parameters >= budget * 0.8, $"the best uses {result.Best.Parameters} of {budget}: the search should spend the budget");

        Assert.Contains("below the smallest candidate",
            Assert.Throws<ArgumentException>(() => new EvolutionarySearch(new EvolutionSettings { Budget = 10 }, Fields, MaxDim, Closeness, Parameters).Run()).Message);
    }
}
