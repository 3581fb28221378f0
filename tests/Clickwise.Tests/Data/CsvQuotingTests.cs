using Clickwise.Data;
using Clickwise.Data.Readers;

namespace Clickwise.Tests.Data;

public sealed class CsvQuotingTests
{
    private static readonly ReaderOptions Csv = new()
    {
        Format = DataFormat.Csv,
        LabelColumn = "Clicked",
        NumericColumns = ["price"],
        CategoricalColumns = ["city", "note"],
    };

    [Fact]
    public void SchemaFollowsFileOrderAndIgnoresUnlistedColumns()
    {
        using IRecordReader reader = ReaderTestKit.Open("note,extra,clicked,price,city\nhi,zz,1,2.5,Paris\n", Csv);
        Assert.Equal(["note", "price", "city"], reader.Schema.FieldNames);
        Assert.Equal([FieldKind.Categorical, FieldKind.Numeric, FieldKind.Categorical], reader.Schema.Kinds);
        Assert.Equal(["1|hi|2.5|Paris"], ReaderTestKit.ReadAll(reader));
    }

    [Fact]
    public void QuotedFieldsHoldDelimitersNewlinesAndEscapedQuotes()
    {
        string text = "clicked,city,note,price\n"
            + "1,\"Paris, FR\",\"said \"\"hi\"\"\",3\n"
            + "0,\"Lyon\",\"two\r\nlines\",\"4\"\n"
            + "1,\"\",,\"\"\n";
        using IRecordReader reader = ReaderTestKit.Open(text, Csv);
        var rows = ReaderTestKit.ReadAll(reader);
        Assert.Equal(["1|Paris, FR|said \"hi\"|3", "0|Lyon|two\r\nlines|4", "1|?|?|?"], rows);
    }

    [Fact]
    public void RecordSpanningLinesKeepsItsFirstLineNumber()
    {
        string text = "clicked,city,note,price\n0,a,\"x\ny\nz\",1\n1,b,c,2\n";
        using IRecordReader reader = ReaderTestKit.Open(text, Csv);
        var record = new RawRecord(3);
        Assert.True(reader.Read(record));
        Assert.Equal(2, record.LineNumber);
        Assert.True(reader.Read(record));
        Assert.Equal(5, record.LineNumber);
    }

    [Fact]
    public void MalformedQuotingIsABadLine()
    {
        const string Header = "clicked,city,note,price\n";
        Assert.Equal("bad quoting", ReaderTestKit.ReadError(Header + "1,\"Paris\"x,n,3\n", Csv).Reason);
        Assert.Equal("bad quoting", ReaderTestKit.ReadError(Header + "1,Pa\"ris,n,3\n", Csv).Reason);
        Assert.Equal("unterminated quoted field", ReaderTestKit.ReadError(Header + "1,\"Paris,n,3\n1,a,b,2\n", Csv).Reason);
        Assert.Equal("wrong column count: expected 4, found 3", ReaderTestKit.ReadError(Header + "1,\"a,b\",3\n", Csv).Reason);
    }

    [Fact]
    public void QuotedRecordOverTheLineLimitCostsTheLineItsQuoteOpenedOnAndEveryLineAfterIsReadAgain()
    {
        string body = string.Concat(Enumerable.Repeat("abcdefgh\n", 40));
        string text = "clicked,city,note,price\n0,\"" + body + "\",n,1\n1,b,c,2\n";
        var options = Csv with { Strict = false, MaxBadRatio = 1, MaxLineBytes = 100, BufferSize = 16 };
        using IRecordReader reader = ReaderTestKit.Open(text, options);
        Assert.Equal(["1|b|c|2"], ReaderTestKit.ReadAll(reader));
        Assert.Equal(1, reader.Stats.SkippedByReason["unterminated quoted field (still open after 100 bytes)"]);
        Assert.Equal(39, reader.Stats.SkippedByReason["wrong column count: expected 4, found 1"]);
        Assert.Equal(1, reader.Stats.SkippedByReason["unterminated quoted field"]);
        Assert.Equal("mem:2: unterminated quoted field (still open after 100 bytes): '0,\"abcdefgh'", reader.Stats.FirstMessages[0]);

        using IRecordReader again = ReaderTestKit.Open(text, options);
        var record = new RawRecord(3);
        Assert.True(again.Read(record));
        Assert.Equal(43, record.LineNumber);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('|')]
    [InlineData('\t')]
    public void AnySingleCharacterDelimiter(char delimiter)
    {
        string text = $"clicked{delimiter}city{delimiter}note{delimiter}price\n0{delimiter}\"a{delimiter}b\"{delimiter}n{delimiter}7\n";
        Assert.Equal([$"0|a{delimiter}b|n|7"], ReaderTestKit.ReadAll(text, Csv with { Delimiter = delimiter }));
    }

    [Fact]
    public void QuotedHeaderNamesAreMatched()
    {
        Assert.Equal(["1|p|?|1"], ReaderTestKit.ReadAll("\"CLICKED\",\"city\",note,\"price\"\n1,p,,1\n", Csv));
    }

    [Fact]
    public void HeaderlessCsvUsesConfiguredNames()
    {
        var options = Csv with { HasHeader = false, ColumnNames = ["city", "clicked", "price", "note"] };
        Assert.Equal(["1|x|5|y"], ReaderTestKit.ReadAll("x,1,5,y\n", options));
        Assert.Throws<ArgumentException>(() => ReaderTestKit.Open("x,1\n", options with { ColumnNames = ["city", "clicked"] }));
    }

    [Fact]
    public void BadDelimiterAndEmptySchemaAreConfigErrors()
    {
        Assert.Throws<ArgumentException>(() => ReaderTestKit.Open("a\n1\n", Csv with { Delimiter = '"' }));
        Assert.Throws<ArgumentException>(() => ReaderTestKit.Open("a\n1\n", new ReaderOptions { Format = DataFormat.Csv }));
    }

    [Fact]
    public void OutOfRangeOptionsAreRejectedUpFront()
    {
        var criteo = new ReaderOptions { Format = DataFormat.Criteo };
        Assert.Throws<ArgumentOutOfRangeException>(() => ReaderTestKit.Open("x", criteo with { MaxBadRatio = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReaderTestKit.Open("x", criteo with { MaxLineBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReaderTestKit.Open("x", new ReaderOptions { Format = DataFormat.Libffm, FieldCount = 0 }));
    }

    [Fact]
    public void FormatNamesRoundTrip()
    {
        foreach (DataFormat format in Enum.GetValues<DataFormat>())
        {
            Assert.Equal(format, DataFormats.Parse(DataFormats.Name(format)));
        }

        Assert.Equal(DataFormat.Libsvm, DataFormats.Parse("libFM"));
        Assert.Throws<ArgumentException>(() => DataFormats.Parse("parquet"));
    }
}
