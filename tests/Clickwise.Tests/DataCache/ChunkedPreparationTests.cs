using System.Text;
using Clickwise.Data;
using Clickwise.Data.Cache;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Readers;
using Clickwise.Tests.Data;

namespace Clickwise.Tests.DataCache;

/// <summary>
/// Preparation on several threads (<see cref="ChunkedInput"/>) must write the bytes one reader writes: the same cache and
/// feature map, the same line statistics, the same first error, whatever the thread count and wherever the chunks are cut.
/// </summary>
public sealed class ChunkedPreparationTests
{
    private static readonly ReaderOptions Lenient = new() { Strict = false, MaxBadRatio = 0.2, MinLinesForRatio = 10 };

    [Theory]
    [InlineData(1, 64)] // every line longer than a chunk: each chunk grows to hold its line
    [InlineData(2, 997)] // lines cut across chunk boundaries
    [InlineData(3, 997)]
    [InlineData(2, ChunkedInput.DefaultChunkBytes)]
    public void LenientInputWithBadLinesGivesTheSequentialBytes(int threads, int chunkBytes)
    {
        using var dir = new TempDirectory();
        string path = dir.File("train.tsv");
        File.WriteAllText(path, Text(rows: 600, badEvery: 37));
        var config = new DataConfig { MinCount = 2, Split = new SplitRatios(0.7, 0.2, 0.1), Seed = 5 };

        (byte[] expected, string expectedStats) = Prepare(dir, "sequential", path, Lenient, config, chunked: null);
        (byte[] actual, string actualStats) = Prepare(dir, "chunked", path, Lenient, config, ChunkedInput.TryCreate(path, Lenient, null, threads, chunkBytes));

        Assert.Contains("skipped=16 (", expectedStats); // 600 / 37 lines: empty, short and not a number
        Assert.Equal(expectedStats, actualStats);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ASequentialSplitOverPlainAndGzipFilesGivesTheSequentialBytes(int threads)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.tsv"), Text(rows: 300, badEvery: 0, seed: 1));
        File.WriteAllBytes(dir.File("b.tsv.gz"), ReaderTestKit.Gzip(Encoding.UTF8.GetBytes(Text(rows: 250, badEvery: 0, seed: 2))));
        string path = $"{dir.File("a.tsv")},{dir.File("b.tsv.gz")}";
        var options = new ReaderOptions();
        var config = new DataConfig { MinCount = 3, SplitMode = SplitMode.Sequential, Split = new SplitRatios(0.6, 0.2, 0.2) };

        (byte[] expected, _) = Prepare(dir, "sequential", path, options, config, chunked: null);
        (byte[] actual, _) = Prepare(dir, "chunked", path, options, config, ChunkedInput.TryCreate(path, options, null, threads, chunkBytes: 1500));

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void StrictModeRaisesTheFirstBadLineOfTheInput(int threads)
    {
        using var dir = new TempDirectory();
        string path = dir.File("train.tsv");
        File.WriteAllText(path, Text(rows: 400, badEvery: 150));
        var options = new ReaderOptions();
        var config = new DataConfig();

        DataFormatException error = SameError(dir, path, options, config, threads, chunkBytes: 800);

        Assert.Equal(150, error.Line);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TooManyBadLinesStopAtTheSameLine(int threads)
    {
        using var dir = new TempDirectory();
        string path = dir.File("train.tsv");
        File.WriteAllText(path, Text(rows: 400, badEvery: 4));
        var options = Lenient with { MaxBadRatio = 0.1 };

        DataFormatException error = SameError(dir, path, options, new DataConfig(), threads, chunkBytes: 600);

        Assert.Contains("too many bad lines", error.Message);
    }

    [Fact]
    public void AnEmptyFileInAListIsTheSameError()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.tsv"), Text(rows: 50, badEvery: 0));
        File.WriteAllText(dir.File("b.tsv"), "");
        string path = $"{dir.File("a.tsv")},{dir.File("b.tsv")}";
        var options = new ReaderOptions();

        DataFormatException error = SameError(dir, path, options, new DataConfig(), threads: 2, chunkBytes: 500);

        Assert.Contains("empty input", error.Message);
    }

    [Fact]
    public void FormatsWithQuotesHeadersOrIdsAreNotCut()
    {
        Assert.Null(ChunkedInput.TryCreate("x.csv", new ReaderOptions { Format = DataFormat.Avazu }, null, 2));
        Assert.Null(ChunkedInput.TryCreate("x.tsv", new ReaderOptions { HasHeader = true }, null, 2));
        Assert.Null(ChunkedInput.TryCreate("x.tsv", new ReaderOptions { IdColumn = "0" }, null, 2));
        Assert.Null(ChunkedInput.TryCreate("-", new ReaderOptions(), null, 2));
    }

    /// <summary>The error one reader raises, after checking that the chunked passes raise the same (message, file and line).</summary>
    private static DataFormatException SameError(TempDirectory dir, string path, ReaderOptions options, DataConfig config, int threads, int chunkBytes)
    {
        var expected = Assert.Throws<DataFormatException>(() => Prepare(dir, "sequential", path, options, config, chunked: null));
        var actual = Assert.Throws<DataFormatException>(() =>
            Prepare(dir, "chunked", path, options, config, ChunkedInput.TryCreate(path, options, null, threads, chunkBytes)));
        Assert.Equal(expected.Message, actual.Message);
        return expected;
    }

    /// <summary>The cache and feature map bytes, and the line statistics, of one preparation.</summary>
    private static (byte[] Bytes, string Stats) Prepare(TempDirectory dir, string name, string path, ReaderOptions options, DataConfig config,
                                                        ChunkedInput? chunked)
    {
        string cacheDir = dir.File(name);
        using PreparedDataset data = DatasetBuilder.Build(() => RecordReaders.Open(path, options), config, cacheDir, heldOut: null, chunked);
        byte[] bytes = [.. File.ReadAllBytes(Path.Combine(cacheDir, DatasetBuilder.CacheFileName)),
            .. File.ReadAllBytes(Path.Combine(cacheDir, DatasetBuilder.FeatureMapFileName))];
        return (bytes, data.Stats.ToString());
    }

    /// <summary>Criteo lines drawn from few categories (so min counts matter), every <paramref name="badEvery"/>-th line bad in one of three ways.</summary>
    private static string Text(int rows, int badEvery, int seed = 0)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int line = 1; line <= rows; line++)
        {
            if (badEvery > 0 && line % badEvery == 0)
            {
                text.Append((line / badEvery % 3) switch { 0 => "", 1 => "1\tonly\tthree", _ => ReaderTestKit.ValidCriteoLine().Replace("\t-1\t", "\tz\t") });
            }
            else
            {
                text.Append(ReaderTestKit.ValidCriteoLine(label: random.Next(2), seed: 1 + random.Next(12)));
            }

            text.Append(line % 7 == 0 ? "\r\n" : "\n");
        }

        return text.ToString();
    }
}
