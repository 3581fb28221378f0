using System.Text;
using Clickwise.Data;
using Clickwise.Data.Cache;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Readers;
using Clickwise.Features;

namespace Clickwise.Tests.DataCache;

/// <summary>
/// Preparation on several threads (<see cref="ParallelRows"/>): the vocabulary and the cache are the same byte for byte
/// for any thread count, and reading keeps a single reader's behaviour (file:line errors, lenient counts, atomic outputs).
/// </summary>
public sealed class ParallelPrepareTests
{
    private static readonly int Rows = 5 * ParallelRows.RowsPerBatch(2) + 123;

    private static readonly DataConfig Config = new() { MinCount = 3, Split = new SplitRatios(0.8, 0.1, 0.1), Seed = 7 };

    [Fact]
    public void CacheAndVocabularyAreByteIdenticalForOneTwoAndThreeThreads()
    {
        byte[] text = CriteoText(Rows, badLines: []);
        using var dir = new TempDirectory();
        var built = new List<(byte[] Cache, byte[] Map)>();
        foreach (int threads in new[] { 1, 2, 3 })
        {
            string cacheDir = dir.File($"t{threads}");
            using (PreparedDataset data = DatasetBuilder.Build(() => Open(text, strict: true), Config, cacheDir, threads: threads))
            {
                Assert.Equal(Rows, data.Rows);
            }

            built.Add((File.ReadAllBytes(Path.Combine(cacheDir, DatasetBuilder.CacheFileName)),
                       File.ReadAllBytes(Path.Combine(cacheDir, DatasetBuilder.FeatureMapFileName))));
        }

        Assert.True(built[0].Cache.Length > Rows * 39 * sizeof(int));
        Assert.All(built, b => Assert.Equal(built[0].Cache, b.Cache));
        Assert.All(built, b => Assert.Equal(built[0].Map, b.Map));
    }

    [Fact]
    public void ParallelFittingCountsWhatRowByRowAddingCounts()
    {
        byte[] text = CriteoText(Rows, badLines: []);
        using IRecordReader schemaReader = Open(text, strict: true);
        FeatureSpec[] specs = Config.SpecsFor(schemaReader.Schema);
        var oneByOne = new VocabularyBuilder(specs);
        using (IRecordReader reader = Open(text, strict: true))
        {
            var record = new RawRecord(specs.Length);
            while (reader.Read(record))
            {
                oneByOne.Add(record);
            }
        }

        var parallel = new VocabularyBuilder(specs);
        using (IRecordReader reader = Open(text, strict: true))
        {
            Assert.Equal(Rows, parallel.Fit(reader, static _ => true, threads: 2));
        }

        Assert.Equal(Rows, parallel.Rows);
        Assert.Equal(Enumerable.Range(0, specs.Length).Select(oneByOne.DistinctTokens), Enumerable.Range(0, specs.Length).Select(parallel.DistinctTokens));
        Assert.Equal(oneByOne.Build().Checksum, parallel.Build().Checksum);
        Assert.True(oneByOne.Build().Layout.TotalRows > 1000);
    }

    [Fact]
    public void MultiHotRowsWithValuesArriveInTheSameCacheForOneAndTwoThreads()
    {
        // One-hot rows with value 1 first, so the cache starts its value and extra-feature sections mid-stream.
        var sb = new StringBuilder();
        var random = new Random(5);
        for (int row = 0; row < Rows; row++)
        {
            sb.Append(row % 3 == 0 ? '1' : '0');
            for (int field = 0; field < 4; field++)
            {
                int features = row < 3000 ? 1 : random.Next(1, 4);
                for (int k = 0; k < features; k++)
                {
                    string value = row < 4000 ? "1" : (random.Next(1, 5) / 2.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    sb.Append($" {field}:{random.Next(0, 40)}:{value}");
                }
            }

            sb.Append('\n');
        }

        byte[] text = Encoding.UTF8.GetBytes(sb.ToString());
        var options = new ReaderOptions { Format = DataFormat.Libffm, FieldCount = 4 };
        using var dir = new TempDirectory();
        using IRecordReader probe = RecordReaders.Open(new MemoryStream(text), "mem.ffm", options);
        var builder = new VocabularyBuilder(FeatureSpecs.FromSchema(probe.Schema, minCount: 2));
        builder.Fit(probe, static _ => true, threads: 2);
        FeatureMap map = builder.Build();
        var caches = new List<byte[]>();
        foreach (int threads in new[] { 1, 2 })
        {
            string path = dir.File($"t{threads}.cwcache");
            (long rows, _) = DatasetBuilder.WriteCache(() => RecordReaders.Open(new MemoryStream(text), "mem.ffm", options), map, path, threads);
            Assert.Equal(Rows, rows);
            caches.Add(File.ReadAllBytes(path));
        }

        Assert.Equal(caches[0], caches[1]);
        using CacheFile cache = CacheFile.Open(dir.File("t2.cwcache"), map.Checksum);
        Assert.True(cache.HasValues);
    }

    [Fact]
    public void AStrictErrorDeepInTheInputNamesItsLineAndLeavesNoCache()
    {
        byte[] text = CriteoText(Rows, badLines: [7001]);
        using var dir = new TempDirectory();
        var error = Assert.Throws<DataFormatException>(() => DatasetBuilder.Build(() => Open(text, strict: true), Config, dir.Path, threads: 2));
        Assert.Equal("mem", error.SourceName);
        Assert.Equal(7001, error.Line);
        Assert.StartsWith("wrong column count", error.Reason);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.cwcache*"));
    }

    [Fact]
    public void LenientReadingSkipsAndCountsTheSameLinesOnAnyThreadCount()
    {
        byte[] text = CriteoText(Rows, badLines: [10, 4100, 9000]);
        using var dir = new TempDirectory();
        var results = new List<(string Stats, byte[] Cache)>();
        foreach (int threads in new[] { 1, 2 })
        {
            string cacheDir = dir.File($"t{threads}");
            using (PreparedDataset data = DatasetBuilder.Build(() => Open(text, strict: false), Config, cacheDir, threads: threads))
            {
                Assert.Equal(Rows, data.Rows);
                Assert.Equal(3, data.Stats.Skipped);
                results.Add((data.Stats.ToString(), File.ReadAllBytes(Path.Combine(cacheDir, DatasetBuilder.CacheFileName))));
            }
        }

        Assert.Equal(results[0].Stats, results[1].Stats);
        Assert.Equal(results[0].Cache, results[1].Cache);

        byte[] tooBad = CriteoText(Rows, badLines: [.. Enumerable.Range(0, 40).Select(i => 3000 + 97 * i)]);
        string[] messages = [.. new[] { 1, 2 }.Select(threads => Assert.Throws<DataFormatException>(
            () => DatasetBuilder.Build(() => Open(tooBad, strict: false), Config, dir.File($"bad{threads}"), threads: threads)).Message)];
        Assert.Contains("too many bad lines", messages[0]);
        Assert.Equal(messages[0], messages[1]);
    }

    [Fact]
    public void AWorkersFailureStopsTheReadAndIsThrown()
    {
        byte[] text = CriteoText(Rows, badLines: []);
        using IRecordReader reader = Open(text, strict: true);
        var failure = Assert.Throws<InvalidOperationException>(() => ParallelRows.Run(reader, static _ => true, 2, (worker, batch) =>
        {
            if (worker == 1 && batch[0].LineNumber > 2 * ParallelRows.RowsPerBatch(2))
            {
                throw new InvalidOperationException("worker 1 gave up");
            }
        }));
        Assert.Equal("worker 1 gave up", failure.Message);
    }

    [Fact]
    public void BatchesAreCompletedInReadingOrderWithTheRowsTheIncludeFilterKeeps()
    {
        byte[] text = CriteoText(Rows, badLines: []);
        using IRecordReader reader = Open(text, strict: true);
        var lines = new List<long>();
        long read = ParallelRows.Run(reader, static row => row % 3 != 0, 3, static (_, _) => { }, batch =>
        {
            for (int r = 0; r < batch.Count; r++)
            {
                lines.Add(batch[r].LineNumber);
            }
        });
        Assert.Equal(Rows, read);
        Assert.Equal(Enumerable.Range(0, Rows).Where(row => row % 3 != 0).Select(row => row + 1L), lines);
    }

    [Fact]
    public void ACopiedRecordOutlivesTheBufferItWasReadFrom()
    {
        byte[] line = "1\tabc\t\t42"u8.ToArray();
        var source = new RawRecord(3) { Label = 1, LineNumber = 9, Ordinal = 8, Source = "f.tsv" };
        source.SetToken(0, line, 2, 3);
        source.SetMissing(1);
        source.SetNumber(2, 42, line, 7, 2);
        source.AddToken(0, "xyz"u8.ToArray(), 1, 2, 0.5f);
        var copy = new RawRecord(3);
        source.CopyTo(copy, new TokenArena());
        line.AsSpan().Fill((byte)'#');

        Assert.Equal("abc", Encoding.UTF8.GetString(copy.Token(0)));
        Assert.True(copy.IsMissing(1));
        Assert.Equal(42, copy.Number(2));
        Assert.Equal("42", Encoding.UTF8.GetString(copy.Token(2)));
        int extra = copy.FirstExtra(0);
        Assert.Equal("yz", Encoding.UTF8.GetString(copy.ExtraToken(extra)));
        Assert.Equal(0.5f, copy.ExtraValue(extra));
        Assert.Equal(-1, copy.NextExtra(extra));
        Assert.Equal((1f, 9L, 8L, "f.tsv"), (copy.Label, copy.LineNumber, copy.Ordinal, copy.Source));
    }

    private static IRecordReader Open(byte[] text, bool strict) =>
        RecordReaders.Open(new MemoryStream(text), "mem", new ReaderOptions { Strict = strict, MaxBadRatio = 0.001 });

    /// <summary>Criteo TSV rows (13 counts, 26 skewed hex tokens, some cells empty); the 1-based lines in <paramref name="badLines"/> lack their last column.</summary>
    private static byte[] CriteoText(int rows, int[] badLines)
    {
        var random = new Random(11);
        var sb = new StringBuilder();
        for (int line = 1; line <= rows + badLines.Length; line++)
        {
            sb.Append(random.Next(4) == 0 ? '1' : '0');
            for (int f = 0; f < 13; f++)
            {
                sb.Append('\t');
                if (random.Next(10) != 0)
                {
                    sb.Append((int)Math.Pow(random.NextDouble() * 30, 2));
                }
            }

            int columns = badLines.Contains(line) ? 25 : 26;
            for (int f = 0; f < columns; f++)
            {
                sb.Append('\t');
                if (random.Next(20) != 0)
                {
                    int rank = (int)(Math.Pow(random.NextDouble(), 3) * (50 << (f % 8)));
                    sb.Append((rank * 2654435761u + (uint)f).ToString("x8"));
                }
            }

            sb.Append('\n');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
