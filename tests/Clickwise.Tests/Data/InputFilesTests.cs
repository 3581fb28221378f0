using Clickwise.Data;
using Clickwise.Data.Readers;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Data;

/// <summary>
/// <c>-d a,b</c> and <c>-d 'day_*.gz'</c>: the files in order (a glob's in natural order), read as one stream with errors
/// naming the right file and line, ordinals running on across files.
/// </summary>
public sealed class InputFilesTests
{
    [Fact]
    public void AListKeepsItsOrderAndAGlobSortsNaturally()
    {
        using var dir = new TempDirectory();
        foreach (string name in (string[])["day_10.gz", "day_2.gz", "day_1.gz", "other.txt"])
        {
            File.WriteAllText(dir.File(name), "");
        }

        Assert.Equal([dir.File("day_1.gz"), dir.File("day_2.gz"), dir.File("day_10.gz")], InputFiles.Expand(dir.File("day_*.gz")));
        Assert.Equal([dir.File("other.txt"), dir.File("day_10.gz")], InputFiles.Expand($"{dir.File("other.txt")},{dir.File("day_10.gz")}"));
        Assert.Equal(["-"], InputFiles.Expand("-"));
    }

    [Fact]
    public void AnExistingNameWithACommaIsOneFileAndBadListsAreRefused()
    {
        using var dir = new TempDirectory();
        string odd = dir.File("a,b.tsv");
        File.WriteAllText(odd, "");
        Assert.Equal([odd], InputFiles.Expand(odd));
        Assert.Throws<FileNotFoundException>(() => InputFiles.Expand(dir.File("none_*.gz")));
        Assert.Throws<ArgumentException>(() => InputFiles.Expand(odd + ",,x"));
        Assert.Throws<ArgumentException>(() => InputFiles.Expand("-," + odd));
        Assert.Throws<ArgumentException>(() => InputFiles.Expand(Path.Combine(dir.Path, "d*", "x.gz")));
    }

    [Fact]
    public void FilesReadAsOneStreamWithOrdinalsRunningOnAndErrorsNamingTheirFile()
    {
        using var dir = new TempDirectory();
        string first = dir.File("a.tsv"), second = dir.File("b.tsv.gz");
        File.WriteAllLines(first, [ReaderTestKit.ValidCriteoLine(0, 1), ReaderTestKit.ValidCriteoLine(1, 2)]);
        File.WriteAllBytes(second, ReaderTestKit.Gzip(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\n', ReaderTestKit.ValidCriteoLine(1, 3), "1\tbad", ReaderTestKit.ValidCriteoLine(0, 4)) + "\n")));
        var options = new ReaderOptions { Format = DataFormat.Criteo, Strict = false, MaxBadRatio = 1 };

        using (IRecordReader reader = RecordReaders.Open($"{first},{second}", options))
        {
            var record = new RawRecord(reader.Schema.FieldCount);
            var seen = new List<(string Source, long Line, long Ordinal)>();
            while (reader.Read(record))
            {
                seen.Add((record.Source, record.LineNumber, record.Ordinal));
            }

            Assert.Equal([(first, 1L, 1L), (first, 2, 2), (second, 1, 3), (second, 3, 5)], seen);
            Assert.Equal(5, reader.Stats.LinesRead);
            Assert.Equal(1, reader.Stats.Skipped);
        }

        DataFormatException error = Assert.Throws<DataFormatException>(() =>
        {
            using IRecordReader strict = RecordReaders.Open($"{first},{second}", options with { Strict = true });
            ReaderTestKit.ReadAll(strict);
        });
        Assert.StartsWith($"{second}:2: ", error.Message);
    }
}
