using Clickwise.Data.Cache;
using Clickwise.Features;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// Raw text → prepared dataset in two streaming passes: pass 1 fits the vocabulary, pass 2 encodes every row into
/// a binary cache. The reader factory is called once per pass, so it must yield the same rows each time.
/// Memory grows with distinct tokens (pass 1) and not at all with rows (pass 2).
/// </summary>
public static class DatasetBuilder
{
    public const string FeatureMapFileName = "feature_map.json";
    public const string CacheFileName = "data.cwcache";

    /// <summary>Fits, encodes and splits with one spec per reader field taken from <paramref name="config"/>.</summary>
    public static PreparedDataset Build(Func<IRecordReader> openReader, DataConfig config, string cacheDir)
    {
        FeatureSpec[] specs;
        using (IRecordReader probe = openReader())
        {
            specs = config.SpecsFor(probe.Schema);
        }

        return Build(openReader, specs, config, cacheDir);
    }

    /// <summary>Fits, encodes and splits with explicit specs (the config supplies hash seed and split).</summary>
    public static PreparedDataset Build(Func<IRecordReader> openReader, IReadOnlyList<FeatureSpec> specs, DataConfig config, string cacheDir)
    {
        config.Validate();
        Directory.CreateDirectory(cacheDir);
        var builder = new VocabularyBuilder(specs, config.HashSeed);
        long fittedRows;
        using (IRecordReader reader = openReader())
        {
            fittedRows = builder.Fit(reader);
        }

        FeatureMap map = builder.Build();
        string mapPath = Path.Combine(cacheDir, FeatureMapFileName);
        string cachePath = Path.Combine(cacheDir, CacheFileName);
        map.Save(mapPath);
        (long encodedRows, BadLineStats stats) = WriteCache(openReader, map, cachePath);
        if (encodedRows != fittedRows)
        {
            throw new InvalidDataException($"the input gave {fittedRows} rows in pass 1 but {encodedRows} in pass 2; it changed between passes");
        }

        return OpenPrepared(map, mapPath, cachePath, config, stats);
    }

    /// <summary>
    /// Encodes and splits with an existing vocabulary instead of fitting one (fine-tuning a saved model: its ids
    /// must keep their meaning; unseen categories go to each field's OOV id). One pass over the text.
    /// </summary>
    public static PreparedDataset BuildWithMap(Func<IRecordReader> openReader, FeatureMap map, DataConfig config, string cacheDir)
    {
        config.Validate();
        Directory.CreateDirectory(cacheDir);
        string mapPath = Path.Combine(cacheDir, FeatureMapFileName);
        string cachePath = Path.Combine(cacheDir, CacheFileName);
        map.Save(mapPath);
        (_, BadLineStats stats) = WriteCache(openReader, map, cachePath);
        return OpenPrepared(map, mapPath, cachePath, config, stats);
    }

    /// <summary>Reopens what <see cref="Build(Func{IRecordReader}, DataConfig, string)"/> wrote, without re-parsing text.</summary>
    public static PreparedDataset Open(string cacheDir, DataConfig config)
    {
        config.Validate();
        string mapPath = Path.Combine(cacheDir, FeatureMapFileName);
        FeatureMap map = FeatureMap.Load(mapPath);
        return OpenPrepared(map, mapPath, Path.Combine(cacheDir, CacheFileName), config, new BadLineStats());
    }

    /// <summary>Encodes new rows with an existing map (unseen categories → OOV) into a cache at <paramref name="cachePath"/>.</summary>
    public static EncodedDataset Encode(Func<IRecordReader> openReader, FeatureMap map, string cachePath)
    {
        (_, BadLineStats stats) = WriteCache(openReader, map, cachePath);
        return new EncodedDataset(map, CacheFile.Open(cachePath, map.Checksum), stats);
    }

    /// <summary>Pass 2: streams rows through the encoder into the cache writer; returns the rows written and the reader's statistics.</summary>
    public static (long Rows, BadLineStats Stats) WriteCache(Func<IRecordReader> openReader, FeatureMap map, string cachePath)
    {
        using IRecordReader reader = openReader();
        map.CheckSchema(reader.Schema);
        FeatureEncoder encoder = map.CreateEncoder();
        int fieldCount = map.FieldCount;
        var record = new RawRecord(fieldCount);
        int[] ids = new int[fieldCount];
        float[] values = new float[fieldCount];
        using var writer = new CacheWriter(cachePath, fieldCount, map.Checksum);
        while (reader.Read(record))
        {
            bool weighted = encoder.Encode(record, ids, values);
            writer.Append(ids, weighted ? values : default, record.Label);
        }

        return (writer.Commit(), reader.Stats);
    }

    private static PreparedDataset OpenPrepared(FeatureMap map, string mapPath, string cachePath, DataConfig config, BadLineStats stats)
    {
        CacheFile cache = CacheFile.Open(cachePath, map.Checksum);
        try
        {
            var split = new RowSplit(cache.RowCount, config.SplitMode, config.Split, config.Seed);
            return new PreparedDataset(map, mapPath, cache, split, stats);
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }
}
