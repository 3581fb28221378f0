using Clickwise.Data.Cache;
using Clickwise.Features;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// One test part of a prepared dataset: a test file (<see cref="File"/> is its name as given) or, when
/// <see cref="File"/> is null, the ratio split's test part of the training data.
/// </summary>
public sealed record TestPart(string? File, CacheBatchSource Rows);

/// <summary>
/// A dataset ready for training: the feature map fitted on the training rows, the memory-mapped caches and the
/// train/valid/test parts as batch sources. Validation and test rows come from the ratio split of the training data
/// or from their own files (<see cref="HeldOutFiles"/>). Owns the open caches; dispose it after training.
/// </summary>
public sealed class PreparedDataset : IDisposable
{
    private readonly CacheFile[] _heldOutCaches;

    internal PreparedDataset(FeatureMap map, string featureMapPath, CacheFile cache, RowSplit split, BadLineStats stats,
                             CacheFile? validCache, IReadOnlyList<(string Name, CacheFile Cache)> testCaches)
    {
        Map = map;
        FeatureMapPath = featureMapPath;
        Cache = cache;
        Split = split;
        Stats = stats;
        Train = new CacheBatchSource(cache, split.Part(SplitPart.Train));
        Valid = validCache is null ? new CacheBatchSource(cache, split.Part(SplitPart.Valid)) : Whole(validCache);
        Tests = testCaches.Count > 0
            ? [.. testCaches.Select(t => new TestPart(t.Name, Whole(t.Cache)))]
            : split.Count(SplitPart.Test) > 0 ? [new TestPart(null, new CacheBatchSource(cache, split.Part(SplitPart.Test)))] : [];
        Test = Tests.Count > 0 ? Tests[0].Rows : new CacheBatchSource(cache, RowSubset.Range(0, 0));
        ValidFromFile = validCache is not null;
        _heldOutCaches = [.. testCaches.Select(t => t.Cache).Prepend(validCache).OfType<CacheFile>()];
    }

    public FeatureMap Map { get; }

    public string FeatureMapPath { get; }

    public string CachePath => Cache.Path;

    /// <summary>The training data's cache (all its rows, whatever part the split gives them).</summary>
    public CacheFile Cache { get; }

    /// <summary>The ratio split of the training data (a part given as a file has ratio 0 here).</summary>
    public RowSplit Split { get; }

    /// <summary>Lines read, rows kept and bad lines skipped by reason (from the training data's encoding pass).</summary>
    public BadLineStats Stats { get; }

    /// <summary>Rows of the training data (train part plus what the split holds out of it).</summary>
    public long Rows => Cache.RowCount;

    public CacheBatchSource Train { get; }

    /// <summary>The validation file's rows, or the split's valid part (empty when its ratio is 0).</summary>
    public CacheBatchSource Valid { get; }

    public bool ValidFromFile { get; }

    /// <summary>Each test file in the order given, or the split's test part; empty when there is no test part.</summary>
    public IReadOnlyList<TestPart> Tests { get; }

    /// <summary>The first test part (empty when there is none).</summary>
    public CacheBatchSource Test { get; }

    public void Dispose()
    {
        Cache.Dispose();
        foreach (CacheFile heldOut in _heldOutCaches)
        {
            heldOut.Dispose();
        }
    }

    private static CacheBatchSource Whole(CacheFile cache) => new(cache, RowSubset.Range(0, cache.RowCount));
}
