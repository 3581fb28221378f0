using System.Globalization;
using System.Text;
using Clickwise.Data;
using Clickwise.Data.Cache;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Readers;
using Clickwise.Features;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Features;

/// <summary>
/// The vocabulary pass within a memory budget (<see cref="CountSpill"/>): whatever the budget and the thread count, and
/// however often the counts spill, the cache and feature map are the bytes of the unbounded pass, and no spill file stays.
/// </summary>
public sealed class CountSpillTests
{
    private const int Rows = 5_000;
    private const long MediumBudget = 1_200_000;
    private const int ChunkBytes = 8 << 10; // ~40 rows a chunk: a tiny budget spills well over FanIn runs

    private static readonly DataConfig Config = new() { MinCount = 3, Split = new SplitRatios(0.8, 0.1, 0.1), Seed = 11 };

    [Theory]
    [InlineData(1, null)]
    [InlineData(2, null)]
    [InlineData(1, 1L)] // tiny: every chunk spills
    [InlineData(2, 1L)]
    [InlineData(1, MediumBudget)] // medium: a few spills
    [InlineData(2, MediumBudget)]
    public void AnyBudgetAndThreadCountGiveTheUnboundedBytes(int threads, long? budget)
    {
        using var dir = new TempDirectory();
        string path = WriteLongTail(dir);
        byte[] expected = Prepare(dir, "sequential", path, chunked: null, VocabularyMemory.Unbounded);

        string spillDir = dir.File("spill");
        var memory = new VocabularyMemory { Budget = budget, TempDirectory = spillDir };
        byte[] chunked = Prepare(dir, "chunked", path, ChunkedInput.TryCreate(path, new ReaderOptions(), null, threads, ChunkBytes), memory);
        byte[] sequential = Prepare(dir, "bounded-sequential", path, chunked: null, memory);

        Assert.Equal(expected, chunked);
        Assert.Equal(expected, sequential);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(budget is null ? dir.Path : spillDir), entry => entry.Contains("vocabulary-spill"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ATinyBudgetSpillsPastTheFanInAndAMediumOneAFewTimes(int threads)
    {
        using var dir = new TempDirectory();
        string path = WriteLongTail(dir);
        (FeatureMap unbounded, _) = Fit(dir, path, threads, budget: null);
        (FeatureMap tiny, int tinyRuns) = Fit(dir, path, threads, budget: 1);
        (FeatureMap medium, int mediumRuns) = Fit(dir, path, threads, budget: MediumBudget);

        Assert.True(tinyRuns > CountSpill.FanIn, $"{tinyRuns} runs");
        Assert.InRange(mediumRuns, 2, 20);
        Assert.Equal(unbounded.ToJson(), tiny.ToJson());
        Assert.Equal(unbounded.ToJson(), medium.ToJson());
        Assert.Equal(165, unbounded.Fields[22].Tokens.Count); // C10: of 15,000 categories drawn, the head reaching min count 3
    }

    [Fact]
    public void AFailedPassLeavesNoSpillFiles()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.tsv");
        File.WriteAllText(path, LongTailText(Rows) + "1\tonly\tthree\n");
        string spillDir = dir.File("spill");
        var memory = new VocabularyMemory { Budget = 1, TempDirectory = spillDir };

        Assert.Throws<DataFormatException>(() => Prepare(dir, "chunked", path, ChunkedInput.TryCreate(path, new ReaderOptions(), null, 2, ChunkBytes), memory));
        Assert.Throws<DataFormatException>(() => Prepare(dir, "sequential", path, chunked: null, memory));
        Assert.Empty(Directory.EnumerateFileSystemEntries(spillDir));
    }

    [Fact]
    public void AnUnusableTempDirectoryIsAClearErrorBeforeAnyRowIsRead()
    {
        using var dir = new TempDirectory();
        string path = WriteLongTail(dir);
        string notADirectory = dir.File("a-file");
        File.WriteAllText(notADirectory, "x");

        var error = Assert.Throws<IOException>(() =>
            Prepare(dir, "out", path, chunked: null, new VocabularyMemory { Budget = 1 << 20, TempDirectory = notADirectory }));

        Assert.StartsWith($"cannot write the vocabulary's spill files under {notADirectory}: ", error.Message);
    }

    [Fact]
    public void ARunReadsBackWhatWasWritten()
    {
        using var dir = new TempDirectory();
        string path = dir.File("run.cwcr");
        (ulong Hash, int Count, string? Token)[] first = [(0, 1, "a"), (5, int.MaxValue, null), (ulong.MaxValue, 300, "long token of many bytes " + new string('x', 100))];
        using (var writer = new CountRunWriter(path, fieldCount: 3))
        {
            writer.BeginField();
            foreach ((ulong hash, int count, string? token) in first)
            {
                writer.Add(hash, count, token is null ? default : Encoding.UTF8.GetBytes(token), token is not null);
            }

            writer.BeginField();
            writer.BeginField();
            writer.Add(42, 2, ""u8, hasToken: true);
            writer.Commit();
        }

        using var reader = new CountRunReader(path, fieldCount: 3);
        Assert.Equal(first, Entries(reader));
        Assert.Empty(Entries(reader));
        Assert.Equal([(42UL, 2, "")], Entries(reader));
        Assert.Throws<InvalidDataException>(() => new CountRunReader(path, fieldCount: 2).Dispose());
    }

    private static List<(ulong Hash, int Count, string? Token)> Entries(CountRunReader reader)
    {
        var entries = new List<(ulong, int, string?)>();
        reader.BeginField();
        while (reader.Next())
        {
            entries.Add((reader.Hash, reader.Count, reader.HasToken ? Encoding.UTF8.GetString(reader.Token) : null));
        }

        return entries;
    }

    /// <summary>The vocabulary of the chunked pass with a spill of <paramref name="budget"/> bytes, and the runs it wrote.</summary>
    private static (FeatureMap Map, int Runs) Fit(TempDirectory dir, string path, int threads, long? budget)
    {
        FeatureSpec[] specs;
        using (IRecordReader probe = RecordReaders.Open(path, new ReaderOptions()))
        {
            specs = Config.SpecsFor(probe.Schema);
        }

        ChunkedInput input = ChunkedInput.TryCreate(path, new ReaderOptions(), null, threads, ChunkBytes)!;
        using CountSpill? spill = budget is { } bytes ? CountSpill.Create(bytes, dir.Path) : null;
        (VocabularyBuilder counts, _) = ChunkedPreparation.Fit(input, specs, Config.HashSeed, static row => row % 5 != 0, spill);
        FeatureMap map = counts.Build();
        return (map, spill?.RunsWritten ?? 0);
    }

    private static byte[] Prepare(TempDirectory dir, string name, string path, ChunkedInput? chunked, VocabularyMemory memory)
    {
        string cacheDir = dir.File(name);
        using (DatasetBuilder.Build(() => RecordReaders.Open(path, new ReaderOptions()), Config, cacheDir, heldOut: null, chunked, memory))
        {
        }

        Assert.Equal([DatasetBuilder.CacheFileName, DatasetBuilder.FeatureMapFileName, PreparedManifest.FileName],
            Directory.EnumerateFileSystemEntries(cacheDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        return [.. File.ReadAllBytes(Path.Combine(cacheDir, DatasetBuilder.CacheFileName)),
            .. File.ReadAllBytes(Path.Combine(cacheDir, DatasetBuilder.FeatureMapFileName))];
    }

    private static string WriteLongTail(TempDirectory dir)
    {
        string path = dir.File("train.tsv");
        File.WriteAllText(path, LongTailText(Rows));
        return path;
    }

    /// <summary>
    /// Criteo lines whose categories are drawn with a heavy head and a long tail (most tokens seen once or twice, so which
    /// reach min count 3 depends on counts summed across chunks, threads and runs), some missing; numeric fields bucketed.
    /// </summary>
    private static string LongTailText(int rows)
    {
        var random = new Random(21);
        var text = new StringBuilder();
        for (int row = 0; row < rows; row++)
        {
            text.Append(random.Next(2));
            for (int i = 0; i < 13; i++)
            {
                text.Append('\t').Append(random.Next(8) == 0 ? "" : ((int)(Math.Pow(random.NextDouble(), 3) * 500)).ToString(CultureInfo.InvariantCulture));
            }

            for (int i = 0; i < 26; i++)
            {
                int draw = (int)(Math.Pow(random.NextDouble(), 4) * (i < 4 ? 20 : 3_000 * (i % 5 + 1)));
                text.Append('\t').Append(random.Next(10) == 0 ? "" : ((uint)((draw + 1) * 2654435761u) ^ (uint)i).ToString("x8", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
