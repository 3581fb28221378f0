using Clickwise.Data;
using Clickwise.Data.Readers;

namespace Clickwise.Tests.Data;

/// <summary>
/// Records are framed by newlines, and quotes join lines only in the formats that have quoting (issue 17, class 1:
/// a stray <c>"</c> in Criteo TSV swallowed the rest of the file).
/// </summary>
public sealed class RecordFramingTests
{
    private static readonly ReaderOptions Csv = new() { Format = DataFormat.Csv, CategoricalColumns = ["city", "note"] };

    /// <summary>Line <paramref name="seed"/> of a Criteo file, with a quote at the start of C8.</summary>
    private static string CriteoLineWithQuotedC8(int seed)
    {
        string[] cells = ReaderTestKit.ValidCriteoLine(1, seed).Split('\t');
        cells[1 + 13 + 7] = "\"" + cells[1 + 13 + 7];
        return string.Join('\t', cells);
    }

    [Fact]
    public void AStrayQuoteInCriteoTsvIsPartOfItsTokenAndTheNextLinesAreRead()
    {
        string text = ReaderTestKit.ValidCriteoLine(0, 1) + "\n" + CriteoLineWithQuotedC8(2) + "\n"
            + string.Concat(Enumerable.Range(3, 5).Select(i => ReaderTestKit.ValidCriteoLine(0, i) + "\n"));
        using IRecordReader reader = ReaderTestKit.Open(text, new ReaderOptions { Format = DataFormat.Criteo });
        List<string> rows = ReaderTestKit.ReadAll(reader);

        Assert.Equal(7, rows.Count);
        Assert.Equal("\"" + CriteoLineWithQuotedC8(2).Split('\t')[21][1..], rows[1].Split('|')[1 + 13 + 7]);
        Assert.Equal(0, reader.Stats.Skipped);
    }

    [Fact]
    public void AQuoteInDeepLightIsPartOfItsCell()
    {
        string line = string.Join(',', Enumerable.Range(0, 40).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        string quoted = line.Replace(",7,", ",\"7,", StringComparison.Ordinal);
        List<string> rows = ReaderTestKit.ReadAll(quoted + "\n" + line + "\n", new ReaderOptions { Format = DataFormat.DeepLight });

        Assert.Equal(2, rows.Count);
        Assert.Equal("\"7", rows[0].Split('|')[7]);
    }

    [Fact]
    public void AnUnterminatedQuoteNamesTheLineItOpenedOnAndCostsOnlyThatLine()
    {
        // The record starting on line 2 closes its first quoted field on line 3 and opens another there that never closes.
        string text = "label,city,note\n0,\"a\nb\",\"c\n1,x,y\n";
        DataFormatException error = ReaderTestKit.ReadError(text, Csv);
        Assert.Equal("mem:3: unterminated quoted field: 'b\",\"c'", error.Message);

        using IRecordReader reader = ReaderTestKit.Open(text, Csv with { Strict = false, MaxBadRatio = 1 });
        Assert.Equal(["1|x|y"], ReaderTestKit.ReadAll(reader));
        Assert.Equal(1, reader.Stats.SkippedByReason[CsvQuoting.Unterminated]);
    }

    [Fact]
    public void AQuoteOpenPastTheLineLimitIsReportedWhereItOpenedAndReadingResumesAfterThatLine()
    {
        string good = string.Concat(Enumerable.Range(0, 30).Select(i => $"{i % 2},c{i},n{i}\n"));
        string text = "label,city,note\n1,a,b\n0,\"Paris,n\n" + good;
        var options = Csv with { MaxLineBytes = 64 };

        DataFormatException error = ReaderTestKit.ReadError(text, options);
        Assert.Equal("mem:3: unterminated quoted field (still open after 64 bytes): '0,\"Paris,n'", error.Message);

        using IRecordReader reader = ReaderTestKit.Open(text, options with { Strict = false, MaxBadRatio = 1 }, chunk: 5);
        List<string> rows = ReaderTestKit.ReadAll(reader);
        Assert.Equal(31, rows.Count);
        Assert.Equal("1|c29|n29", rows[^1]);
        Assert.Equal(32, reader.Stats.LinesRead);
        Assert.Equal(1, reader.Stats.SkippedByReason["unterminated quoted field (still open after 64 bytes)"]);
    }
}
