using Clickwise.Data.Cache;
using Clickwise.Features;

namespace Clickwise.Data.Pipeline;

/// <summary>New rows encoded with an existing feature map (eval, predict): all rows in file order.</summary>
public sealed class EncodedDataset : IDisposable
{
    internal EncodedDataset(FeatureMap map, CacheFile cache, BadLineStats stats)
    {
        Map = map;
        Cache = cache;
        Stats = stats;
        Rows = new CacheBatchSource(cache, RowSubset.Range(0, cache.RowCount));
    }

    public FeatureMap Map { get; }

    public CacheFile Cache { get; }

    public BadLineStats Stats { get; }

    /// <summary>Every row; iterate with shuffle off to keep predictions aligned with input lines.</summary>
    public CacheBatchSource Rows { get; }

    public void Dispose() => Cache.Dispose();
}
