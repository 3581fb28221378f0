using Clickwise.Layers;

namespace Clickwise.Compression.EmbeddingSearch;

/// <summary>
/// OptEmbed's search over per-field widths on a trained supernet (seed 004, Algorithm 1): a random first population, then
/// per generation evaluate, merge into a Top-k archive, and breed the next population from the archive by crossover and
/// mutation. Unlike the reference code, children are always new arrays (its mutation edited the recorded best in place),
/// the crossover cut lies in [1, F − 1] (it drew from [1, D]), parents come from the real Top-k archive (not the current
/// top 10/11), mutation reaches width 1, and an optional parameter budget is enforced: a candidate over it is never
/// evaluated nor archived, and breeding redraws a few times before giving one up. Every draw comes from one seeded
/// generator and fitness is cached by candidate, so a run is a function of its settings and the fitness.
/// </summary>
/// <remarks>Lyu et al., "OptEmbed: Learning Optimal Embedding Table for Click-through Rate Prediction", CIKM 2022, Algorithm 1, eq. 15.</remarks>
public sealed class EvolutionarySearch
{
    private const int Redraws = 20;

    private readonly EvolutionSettings _settings;
    private readonly int _fieldCount;
    private readonly int _maxDim;
    private readonly Func<int[], double> _fitness;
    private readonly Func<int[], long> _parameters;
    private readonly SeededRandom _random;
    private readonly Dictionary<string, SearchCandidate> _evaluated = new(StringComparer.Ordinal);

    /// <param name="fitness">Higher is better (validation AUC with the row mask applied); called once per distinct candidate.</param>
    /// <param name="parameters">The table parameters a candidate keeps, Σ_f kept_f·D_f, for the budget and the report.</param>
    public EvolutionarySearch(EvolutionSettings settings, int fieldCount, int maxDim, Func<int[], double> fitness, Func<int[], long> parameters)
    {
        settings.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(fieldCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDim, 1);
        _settings = settings;
        _fieldCount = fieldCount;
        _maxDim = maxDim;
        _fitness = fitness;
        _parameters = parameters;
        _random = new SeededRandom(settings.Seed);
    }

    public SearchResult Run()
    {
        int[] smallest = [.. Enumerable.Repeat(1, _fieldCount)];
        if (!WithinBudget(smallest))
        {
            throw new ArgumentException(
                $"budget {_settings.Budget:N0} parameters is below the smallest candidate (every field 1 wide): {_parameters(smallest):N0}.");
        }

        List<int[]> population = [.. Enumerable.Range(0, _settings.Population).Select(_ => Feasible(RandomCandidate))];
        var archive = new List<SearchCandidate>();
        var history = new List<double>();
        for (int generation = 0; generation < _settings.Generations; generation++)
        {
            archive = [.. archive.Concat(population.Where(WithinBudget).Select(Evaluate))
                .DistinctBy(c => Key(c.Dims))
                .OrderByDescending(c => c.Fitness)
                .ThenBy(c => c.Parameters)
                .ThenBy(c => Key(c.Dims), StringComparer.Ordinal)
                .Take(_settings.TopK)];
            history.Add(archive.Count > 0 ? archive[0].Fitness : double.NegativeInfinity);
            if (archive.Count == 0)
            {
                population = [.. Enumerable.Range(0, _settings.Population).Select(_ => smallest.ToArray())];
                continue;
            }

            List<SearchCandidate> parents = archive;
            population =
            [
                .. Enumerable.Range(0, _settings.Mutations).Select(_ => Feasible(() => Mutate(Pick(parents)))),
                .. Enumerable.Range(0, _settings.Crossovers).Select(_ => Feasible(() => Crossover(Pick(parents), Pick(parents), CutPoint()))),
            ];
        }

        return new SearchResult(archive[0], archive, history, _evaluated.Count);
    }

    /// <summary>The first <paramref name="cut"/> widths of <paramref name="first"/>, the rest of <paramref name="second"/>: a new array.</summary>
    internal static int[] Crossover(IReadOnlyList<int> first, IReadOnlyList<int> second, int cut) => [.. first.Take(cut), .. second.Skip(cut)];

    /// <summary>A cut in [1, F − 1], so both parents give at least one field; with one field, the whole first parent.</summary>
    internal int CutPoint() => _fieldCount == 1 ? 1 : 1 + Draw(_fieldCount - 1);

    private int[] Mutate(IReadOnlyList<int> parent)
    {
        int[] child = [.. parent];
        for (int f = 0; f < child.Length; f++)
        {
            if (_random.NextDouble() < _settings.MutationProbability)
            {
                child[f] = 1 + Draw(_maxDim);
            }
        }

        return child;
    }

    private int[] RandomCandidate() => [.. Enumerable.Range(0, _fieldCount).Select(_ => 1 + Draw(_maxDim))];

    private IReadOnlyList<int> Pick(List<SearchCandidate> parents) => parents[Draw(parents.Count)].Dims;

    /// <summary>A child within the budget: up to <see cref="Redraws"/> draws, then the last one, which the next evaluation skips.</summary>
    private int[] Feasible(Func<int[]> draw)
    {
        int[] child = draw();
        for (int i = 1; i < Redraws && !WithinBudget(child); i++)
        {
            child = draw();
        }

        return child;
    }

    private bool WithinBudget(int[] dims) => _settings.Budget == 0 || _parameters(dims) <= _settings.Budget;

    private SearchCandidate Evaluate(int[] dims)
    {
        string key = Key(dims);
        if (!_evaluated.TryGetValue(key, out SearchCandidate? candidate))
        {
            candidate = new SearchCandidate(dims.ToArray(), _fitness(dims.ToArray()), _parameters(dims));
            _evaluated.Add(key, candidate);
        }

        return candidate;
    }

    private int Draw(int count) => (int)Math.BigMul(_random.NextUInt64(), (ulong)count, out _);

    private static string Key(IReadOnlyList<int> dims) => string.Join(',', dims);
}
