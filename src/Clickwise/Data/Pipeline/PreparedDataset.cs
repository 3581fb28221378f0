using Clickwise.Data.Cache;
using Clickwise.Features;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// A dataset ready for training: the fitted feature map, the memory-mapped cache and its train/valid/test parts as
/// batch sources. Owns the open cache; dispose it after training.
/// </summary>
public sealed class PreparedDataset : IDisposable
{
    internal PreparedDataset(FeatureMap map, string featureMapPath, CacheFile cache, RowSplit split, BadLineStats stats)
    {
        Map = map;
        FeatureMapPath = featureMapPath;
        Cache = cache;
        Split = split;
        Stats = stats;
        Train = new CacheBatchSource(cache, split.Part(SplitPart.Train));
        Valid = new CacheBatchSource(cache, split.Part(SplitPart.Valid));
        Test = new CacheBatchSource(cache, split.Part(SplitPart.Test));
    }

    public FeatureMap Map { get; }

    public string FeatureMapPath { get; }

    public string CachePath => Cache.Path;

    public CacheFile Cache { get; }

    public RowSplit Split { get; }

    /// <summary>Lines read, rows kept and bad lines skipped by reason (from the encoding pass).</summary>
    public BadLineStats Stats { get; }

    public long Rows => Cache.RowCount;

    public CacheBatchSource Train { get; }

    public CacheBatchSource Valid { get; }

    public CacheBatchSource Test { get; }

    public void Dispose() => Cache.Dispose();
}
