using Clickwise.Data.Cache;
using Clickwise.Data.Readers;
using Clickwise.Features;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// Raw text → prepared dataset. The train/valid/test part of every row is decided first (the ratio split is seeded per
/// row index, so it is known while rows stream in; a sequential split counts the rows in an extra pass), then pass 1
/// fits the vocabulary on the training rows only (the BARS protocol: held-out rows never decide which categories get
/// ids), and pass 2 encodes every row into a binary cache. Validation and test files, when given, are encoded with
/// that vocabulary into caches of their own; the parts they replace get ratio 0 in the split (their share trains).
/// The reader factories are called once per pass, so they must yield the same rows each time. Pass 1's counts stay
/// within a <see cref="VocabularyMemory"/> budget (spilling to disk beyond it, same result); pass 2's memory does not
/// grow with rows. Given a <see cref="ChunkedInput"/> (the same data, cut
/// into chunks for several threads) the training data's passes run on its threads instead, with the same result.
/// </summary>
public static class DatasetBuilder
{
    public const string FeatureMapFileName = "feature_map.json";
    public const string CacheFileName = "data.cwcache";

    /// <summary>Fits, encodes and splits with one spec per reader field taken from <paramref name="config"/>.</summary>
    public static PreparedDataset Build(Func<IRecordReader> openReader, DataConfig config, string cacheDir, HeldOutFiles? heldOut = null,
                                        ChunkedInput? chunked = null, VocabularyMemory? memory = null)
    {
        FeatureSpec[] specs;
        using (IRecordReader probe = openReader())
        {
            specs = config.SpecsFor(probe.Schema);
        }

        return Build(openReader, specs, config, cacheDir, heldOut, chunked, memory);
    }

    /// <summary>Fits, encodes and splits with explicit specs (the config supplies hash seed and split; null memory: <see cref="VocabularyMemory.Default"/>).</summary>
    public static PreparedDataset Build(Func<IRecordReader> openReader, IReadOnlyList<FeatureSpec> specs, DataConfig config, string cacheDir,
                                        HeldOutFiles? heldOut = null, ChunkedInput? chunked = null, VocabularyMemory? memory = null)
    {
        config.Validate();
        heldOut ??= HeldOutFiles.None;
        Directory.CreateDirectory(cacheDir);
        File.Delete(Path.Combine(cacheDir, PreparedManifest.FileName));
        SplitRatios ratios = RatiosFor(config, heldOut);
        Func<long, bool> isTrainRow = TrainRows(openReader, chunked, specs.Count, config, ratios);
        (FeatureMap map, long readRows) = Fit(openReader, chunked, specs, config.HashSeed, isTrainRow, memory ?? VocabularyMemory.Default, cacheDir);
        // Pass 1's count tables (up to the budget, in large arrays only a full collection frees) are garbage now: freed
        // before pass 2 allocates, the two passes' memory does not add up in the peak.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return Write(openReader, chunked, map.WithPooling(config.Pooling), config, cacheDir, heldOut, readRows);
    }

    /// <summary>Pass 1: the vocabulary of the training rows and the rows read; spill files, if any, are gone when it returns or throws.</summary>
    private static (FeatureMap Map, long Rows) Fit(Func<IRecordReader> openReader, ChunkedInput? chunked, IReadOnlyList<FeatureSpec> specs, uint hashSeed,
                                                   Func<long, bool> isTrainRow, VocabularyMemory memory, string cacheDir)
    {
        using CountSpill? spill = memory.Budget is { } budget ? CountSpill.Create(budget, memory.TempDirectory ?? cacheDir) : null;
        if (chunked is not null)
        {
            (VocabularyBuilder merged, long rows) = ChunkedPreparation.Fit(chunked, specs, hashSeed, isTrainRow, spill);
            return (merged.Build(), rows);
        }

        var builder = new VocabularyBuilder(specs, hashSeed, shares: 1, spill);
        using IRecordReader reader = openReader();
        long readRows = builder.Fit(reader, isTrainRow);
        return (builder.Build(), readRows);
    }

    /// <summary>
    /// Encodes and splits with an existing vocabulary instead of fitting one (fine-tuning a saved model: its ids
    /// must keep their meaning; unseen categories go to each field's OOV id). One pass over the text.
    /// </summary>
    public static PreparedDataset BuildWithMap(Func<IRecordReader> openReader, FeatureMap map, DataConfig config, string cacheDir,
                                               HeldOutFiles? heldOut = null, ChunkedInput? chunked = null)
    {
        config.Validate();
        Directory.CreateDirectory(cacheDir);
        File.Delete(Path.Combine(cacheDir, PreparedManifest.FileName));
        return Write(openReader, chunked, map, config, cacheDir, heldOut ?? HeldOutFiles.None, expectedRows: null);
    }

    /// <summary>
    /// Reopens what <see cref="Build(Func{IRecordReader}, DataConfig, string, HeldOutFiles?, ChunkedInput?, VocabularyMemory?)"/> wrote, without re-parsing
    /// text. Refuses a cache built another way (an older fitting protocol, another split): see <c>prepared.json</c>.
    /// </summary>
    public static PreparedDataset Open(string cacheDir, DataConfig config)
    {
        config.Validate();
        PreparedManifest manifest = PreparedManifest.Load(cacheDir, config);
        string mapPath = Path.Combine(cacheDir, FeatureMapFileName);
        FeatureMap map = FeatureMap.Load(mapPath);
        return OpenPrepared(map, mapPath, cacheDir, manifest, new BadLineStats());
    }

    /// <summary>The split of the training data: a part given as a file gets ratio 0 and its share trains.</summary>
    public static SplitRatios RatiosFor(DataConfig config, HeldOutFiles heldOut) =>
        RatiosFor(config.Split, heldOut.Valid is not null, heldOut.Tests.Count > 0);

    private static SplitRatios RatiosFor(SplitRatios r, bool validFile, bool testFiles) => !validFile && !testFiles
        ? r
        : new SplitRatios(r.Train + (validFile ? r.Valid : 0) + (testFiles ? r.Test : 0), validFile ? 0 : r.Valid, testFiles ? 0 : r.Test);

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
        var extras = new ExtraFeatures(fieldCount);
        using var writer = new CacheWriter(cachePath, fieldCount, map.Checksum);
        while (reader.Read(record))
        {
            extras.Clear();
            bool weighted = encoder.Encode(record, ids, values, extras);
            writer.Append(ids, weighted ? values : default, record.Label, extras.InUse);
        }

        return (writer.Commit(), reader.Stats);
    }

    /// <summary>Which row indices (in reading order) train: known per row for a random split, after a counting pass for a sequential one.</summary>
    private static Func<long, bool> TrainRows(Func<IRecordReader> openReader, ChunkedInput? chunked, int fieldCount, DataConfig config, SplitRatios ratios)
    {
        if (ratios.Train >= 1)
        {
            return static _ => true;
        }

        if (config.SplitMode == SplitMode.Random)
        {
            int seed = config.Seed;
            return row => RowSplit.RandomPartOf(row, ratios, seed) == SplitPart.Train;
        }

        long rows = chunked is null ? CountRows(openReader) : ChunkedPreparation.CountRows(chunked, fieldCount);
        long trainRows = RowSplit.SequentialTrainRows(rows, ratios);
        return row => row < trainRows;
    }

    /// <summary>The good rows of the data, in one pass (a sequential split cuts at fractions of it).</summary>
    public static long CountRows(Func<IRecordReader> openReader)
    {
        long rows = 0;
        using IRecordReader reader = openReader();
        var record = new RawRecord(reader.Schema.FieldCount);
        while (reader.Read(record))
        {
            rows++;
        }

        return rows;
    }

    /// <summary>Pass 2 for the training data and the held-out files, then the manifest; the caller's map is saved beside.</summary>
    private static PreparedDataset Write(Func<IRecordReader> openReader, ChunkedInput? chunked, FeatureMap map, DataConfig config, string cacheDir,
                                         HeldOutFiles heldOut, long? expectedRows)
    {
        string mapPath = Path.Combine(cacheDir, FeatureMapFileName);
        map.Save(mapPath);
        string cachePath = Path.Combine(cacheDir, CacheFileName);
        (long encodedRows, BadLineStats stats) = chunked is null
            ? WriteCache(openReader, map, cachePath)
            : ChunkedPreparation.WriteCache(chunked, map, cachePath);
        if (expectedRows is { } fitted && encodedRows != fitted)
        {
            throw new InvalidDataException($"the input gave {fitted} rows in pass 1 but {encodedRows} in pass 2; it changed between passes");
        }

        if (heldOut.Valid is { } valid)
        {
            WriteCache(valid.Open, map, Path.Combine(cacheDir, PreparedManifest.ValidCacheName));
        }

        for (int i = 0; i < heldOut.Tests.Count; i++)
        {
            WriteCache(heldOut.Tests[i].Open, map, Path.Combine(cacheDir, PreparedManifest.TestCacheName(i)));
        }

        var manifest = new PreparedManifest
        {
            SplitMode = config.SplitMode,
            Split = config.Split,
            Seed = config.Seed,
            ValidFile = heldOut.Valid?.Name,
            TestFiles = [.. heldOut.Tests.Select(t => t.Name)],
            Preprocessing = config,
        };
        manifest.Save(cacheDir);
        return OpenPrepared(map, mapPath, cacheDir, manifest, stats);
    }

    private static PreparedDataset OpenPrepared(FeatureMap map, string mapPath, string cacheDir, PreparedManifest manifest, BadLineStats stats)
    {
        var opened = new List<CacheFile>();
        try
        {
            CacheFile cache = Opened(CacheFile.Open(Path.Combine(cacheDir, CacheFileName), map.Checksum));
            CacheFile? valid = manifest.ValidFile is null ? null : Opened(CacheFile.Open(Path.Combine(cacheDir, PreparedManifest.ValidCacheName), map.Checksum));
            var tests = manifest.TestFiles
                .Select((name, i) => (name, Opened(CacheFile.Open(Path.Combine(cacheDir, PreparedManifest.TestCacheName(i)), map.Checksum))))
                .ToList();
            SplitRatios ratios = RatiosFor(manifest.Split, valid is not null, tests.Count > 0);
            var split = new RowSplit(cache.RowCount, manifest.SplitMode, ratios, manifest.Seed);
            return new PreparedDataset(map, mapPath, cache, split, stats, valid, tests);
        }
        catch
        {
            foreach (CacheFile file in opened)
            {
                file.Dispose();
            }

            throw;
        }

        CacheFile Opened(CacheFile file)
        {
            opened.Add(file);
            return file;
        }
    }
}
