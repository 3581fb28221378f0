using Clickwise.Data.Cache;
using Clickwise.Data.Readers;
using Clickwise.Features;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// <see cref="DatasetBuilder"/>'s passes over a <see cref="ChunkedInput"/>, on all its threads. Each gives what the
/// sequential pass over one reader gives, byte for byte: the same rows counted, the same vocabulary, the same cache.
/// </summary>
internal static class ChunkedPreparation
{
    /// <summary>The good rows of the input.</summary>
    public static long CountRows(ChunkedInput input, int fieldCount) =>
        ChunkedPass<bool>.Run(input, () => new RowReadingWorker(fieldCount), static _ => { }).RowsParsed;

    /// <summary>
    /// Pass 1: every worker counts the training rows of its chunks; their counts are summed at the end, so which worker
    /// counted which rows changes nothing, nor whether and when their counts were spilled to <paramref name="spill"/>.
    /// Returns the merged counts and the rows read.
    /// </summary>
    public static (VocabularyBuilder Counts, long Rows) Fit(ChunkedInput input, IReadOnlyList<FeatureSpec> specs, uint hashSeed, Func<long, bool> include,
                                                            CountSpill? spill)
    {
        var workers = new List<CountingWorker>();
        BadLineStats stats = ChunkedPass<bool>.Run(input, () =>
        {
            var worker = new CountingWorker(specs, hashSeed, input.Threads, include, spill);
            workers.Add(worker);
            return worker;
        }, static _ => { });
        return (VocabularyBuilder.MergeAll([.. workers.Select(worker => worker.Counts)]), stats.RowsParsed);
    }

    /// <summary>Pass 2: workers encode their chunks, the calling thread appends them to the cache in input order.</summary>
    public static (long Rows, BadLineStats Stats) WriteCache(ChunkedInput input, FeatureMap map, string cachePath)
    {
        using var writer = new CacheWriter(cachePath, map.FieldCount, map.Checksum);
        BadLineStats stats = ChunkedPass<EncodedChunk>.Run(input, () => new EncodingWorker(map), chunk =>
        {
            writer.AppendRows(chunk.Ids, chunk.Values, chunk.Labels);
            chunk.Release();
        });
        return (writer.Commit(), stats);
    }
}
