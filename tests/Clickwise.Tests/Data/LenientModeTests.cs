using Clickwise.Data;
using Clickwise.Data.Readers;

namespace Clickwise.Tests.Data;

public sealed class LenientModeTests
{
    private static readonly ReaderOptions Lenient = new() { Format = DataFormat.Criteo, Strict = false, MaxBadRatio = 0.5 };

    private static string Good(int seed) => ReaderTestKit.ValidCriteoLine(seed % 2, seed) + "\n";

    [Fact]
    public void BadLinesAreSkippedAndCountedByReason()
    {
        string text = Good(1) + "2" + Good(2)[1..] + Good(3) + "1\t2\n" + "x" + Good(4)[1..] + "\n" + Good(5) + "1\t2\n";
        using IRecordReader reader = ReaderTestKit.Open(text, Lenient with { MaxBadRatio = 0.9 });
        List<string> rows = ReaderTestKit.ReadAll(reader);

        Assert.Equal(3, rows.Count);
        Assert.Equal(8, reader.Stats.LinesRead);
        Assert.Equal(3, reader.Stats.RowsParsed);
        Assert.Equal(5, reader.Stats.Skipped);
        Assert.Equal(reader.Stats.LinesRead, reader.Stats.RowsParsed + reader.Stats.Skipped);
        Assert.Equal(2, reader.Stats.SkippedByReason["label must be 0 or 1"]);
        Assert.Equal(2, reader.Stats.SkippedByReason["wrong column count: expected 40, found 2"]);
        Assert.Equal(1, reader.Stats.SkippedByReason["empty line"]);
        Assert.StartsWith("mem:2: label must be 0 or 1: '2\t2\t-1\t\t23\t", reader.Stats.FirstMessages[0], StringComparison.Ordinal);
        Assert.Equal(
            "lines=8, parsed=3, skipped=5 (label must be 0 or 1=2, wrong column count: expected 40, found 2=2, empty line=1); "
            + "skipped mem:2, mem:4, mem:5, mem:6, mem:8", // issue 17, class 7: where the skipped lines are, not only how many
            reader.Stats.ToString());
    }

    [Fact]
    public void BadRatioAbortsOnceEnoughLinesWereRead()
    {
        // 1 bad line in 20 = 5% > 1%: no check before MinLinesForRatio lines, then the next bad line (the 6th, line 108) stops.
        string text = string.Concat(Enumerable.Range(0, 200).Select(i => i % 20 == 7 ? "junk\n" : Good(i)));
        var options = Lenient with { MaxBadRatio = 0.01, MinLinesForRatio = 100 };
        using IRecordReader reader = ReaderTestKit.Open(text, options);
        var record = new RawRecord(39);
        var error = Assert.Throws<DataFormatException>(() =>
        {
            while (reader.Read(record))
            {
            }
        });
        Assert.Equal("too many bad lines: 6 of 108 (limit 1%)", error.Reason);
        Assert.Equal(108, error.Line);
    }

    [Fact]
    public void BadRatioIsCheckedAtTheEndOfShortInput()
    {
        string text = Good(1) + "junk\n" + Good(2);
        var error = Assert.Throws<DataFormatException>(() => ReaderTestKit.ReadAll(text, Lenient with { MaxBadRatio = 0.001 }));
        Assert.Equal("too many bad lines: 1 of 3 (limit 0.1%)", error.Reason);
        Assert.Equal(0, error.Line);
    }

    [Fact]
    public void RatioWithinTheLimitReadsToTheEnd()
    {
        string text = string.Concat(Enumerable.Range(0, 300).Select(i => i == 150 ? "junk\n" : Good(i)));
        using IRecordReader reader = ReaderTestKit.Open(text, Lenient with { MaxBadRatio = 0.01, MinLinesForRatio = 100 });
        Assert.Equal(299, ReaderTestKit.ReadAll(reader).Count);
        Assert.Equal(1, reader.Stats.Skipped);
    }

    [Fact]
    public void StrictModeThrowsOnTheFirstBadLine()
    {
        string text = Good(1) + "junk\n" + "junk2\n";
        using IRecordReader reader = ReaderTestKit.Open(text, Lenient with { Strict = true });
        var record = new RawRecord(39);
        Assert.True(reader.Read(record));
        var error = Assert.Throws<DataFormatException>(() => reader.Read(record));
        Assert.Equal("mem:2: wrong column count: expected 40, found 1: 'junk'", error.Message);
    }
}
