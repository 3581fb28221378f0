using System.Text;
using Clickwise.Data;
using Clickwise.Data.Readers;

namespace Clickwise.Tests.Data;

/// <summary>Each malformed input from ecosystem.md §4.3 A: which error, on which line, with which reason.</summary>
public sealed class MalformedInputTests
{
    private static readonly ReaderOptions Criteo = new() { Format = DataFormat.Criteo };
    private static readonly ReaderOptions CriteoCsv = new() { Format = DataFormat.CriteoCsv };
    private static readonly ReaderOptions Libsvm = new() { Format = DataFormat.Libsvm };
    private static readonly ReaderOptions Libffm = new() { Format = DataFormat.Libffm, FieldCount = 3 };

    private static string Good(int seed = 1) => ReaderTestKit.ValidCriteoLine(seed % 2, seed) + "\n";

    [Fact]
    public void EmptyFileIsLineZeroEmptyInput()
    {
        foreach (DataFormat format in Enum.GetValues<DataFormat>())
        {
            var options = new ReaderOptions { Format = format, CategoricalColumns = format == DataFormat.Csv ? ["a"] : null };
            var error = Assert.Throws<DataFormatException>(() => ReaderTestKit.Open("", options));
            Assert.Equal(0, error.Line);
            Assert.Equal("empty input", error.Reason);
            Assert.Equal("mem: empty input", error.Message);
        }
    }

    [Fact]
    public void BomOnlyFileIsEmptyInput()
    {
        var error = Assert.Throws<DataFormatException>(() => ReaderTestKit.Open([0xEF, 0xBB, 0xBF], Criteo));
        Assert.Equal("empty input", error.Reason);
    }

    [Theory]
    [InlineData(38)]
    [InlineData(41)]
    public void WrongColumnCountNamesBothCounts(int columns)
    {
        string line = string.Join('\t', Enumerable.Repeat("1", columns));
        var error = ReaderTestKit.ReadError(Good() + line + "\n", Criteo);
        Assert.Equal(2, error.Line);
        Assert.Equal($"wrong column count: expected 40, found {columns}", error.Reason);
        Assert.StartsWith("mem:2: wrong column count: expected 40, found " + columns + ": '1\t1\t1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingTabIsAnExtraColumn()
    {
        var error = ReaderTestKit.ReadError(Good().TrimEnd('\n') + "\t\n", Criteo);
        Assert.Equal("wrong column count: expected 40, found 41", error.Reason);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("-1")]
    [InlineData("0.5")]
    [InlineData("")]
    [InlineData("NaN")]
    [InlineData("+1")]
    public void CriteoLabelMustBeZeroOrOne(string label)
    {
        string line = label + Good()[1..];
        var error = ReaderTestKit.ReadError(Good() + line, Criteo);
        Assert.Equal(2, error.Line);
        Assert.Equal("label must be 0 or 1", error.Reason);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("inf")]
    [InlineData("-Infinity")]
    [InlineData("1e309")]
    public void NonFiniteNumbersAreNamedByColumn(string number)
    {
        string[] cells = Good().TrimEnd('\n').Split('\t');
        cells[5] = number;
        var error = ReaderTestKit.ReadError(Good() + string.Join('\t', cells), Criteo);
        Assert.Equal("non-finite number in I5", error.Reason);
    }

    [Fact]
    public void TextInNumericColumnIsNotANumber()
    {
        string[] cells = Good().TrimEnd('\n').Split('\t');
        cells[3] = "12abc";
        var error = ReaderTestKit.ReadError(Good() + string.Join('\t', cells), Criteo);
        Assert.Equal("not a number in I3", error.Reason);
    }

    [Fact]
    public void NegativeAndHugeIntegersAreAccepted()
    {
        string[] cells = Good().TrimEnd('\n').Split('\t');
        cells[2] = "-3";
        cells[3] = "99999999999999999999";
        var rows = ReaderTestKit.ReadAll(string.Join('\t', cells), Criteo);
        Assert.Equal(["-3", "1E+20"], rows[0].Split('|')[2..4]);
    }

    [Fact]
    public void HeaderInHeaderlessCriteoIsNamed()
    {
        string header = "label\t" + string.Join('\t', Enumerable.Range(1, 13).Select(i => $"I{i}")) + "\t" + string.Join('\t', Enumerable.Range(1, 26).Select(i => $"C{i}"));
        var error = ReaderTestKit.ReadError(header + "\n" + Good(), Criteo);
        Assert.Equal(1, error.Line);
        Assert.Equal("header found where none expected", error.Reason);
    }

    [Fact]
    public void HeaderInHeaderlessLibsvmIsNamed()
    {
        var error = ReaderTestKit.ReadError("label features\n1 3:1\n", Libsvm with { FieldCount = 1 });
        Assert.Equal("header found where none expected", error.Reason);
    }

    [Fact]
    public void LibsvmHeaderIsSkippedInLenientModeAndTheWidthComesFromData()
    {
        using IRecordReader reader = ReaderTestKit.Open("label features\n1 3:1 4:1\n0 5:1 6:1\n", Libsvm with { Strict = false, MaxBadRatio = 0.5 });
        Assert.Equal(2, reader.Schema.FieldCount);
        Assert.Equal(["1|3|4", "0|5|6"], ReaderTestKit.ReadAll(reader));
        Assert.Equal(1, reader.Stats.SkippedByReason["header found where none expected"]);
    }

    [Fact]
    public void MissingHeaderInCsvModeIsNamed()
    {
        string dataOnly = "0,1,2,3\n1,4,5,6\n";
        var options = new ReaderOptions { Format = DataFormat.Csv, NumericColumns = ["a"], CategoricalColumns = ["b"] };
        var error = Assert.Throws<DataFormatException>(() => ReaderTestKit.Open(dataOnly, options));
        Assert.Equal(1, error.Line);
        Assert.Equal("missing header", error.Reason);

        var criteo = Assert.Throws<DataFormatException>(() => ReaderTestKit.Open(Good().Replace('\t', ','), CriteoCsv));
        Assert.Equal("missing header", criteo.Reason);
    }

    [Fact]
    public void HeaderWithoutAConfiguredColumnSaysWhich()
    {
        var options = new ReaderOptions { Format = DataFormat.Csv, CategoricalColumns = ["site"] };
        var error = Assert.Throws<DataFormatException>(() => ReaderTestKit.Open("label,app\n1,x\n", options));
        Assert.Equal("header lacks column 'site'", error.Reason);
    }

    [Fact]
    public void EmptyLineAndLoneNewlineAreBadLines()
    {
        Assert.Equal("empty line", ReaderTestKit.ReadError(Good() + "\n" + Good(), Criteo).Reason);
        Assert.Equal(1, ReaderTestKit.ReadError("\n", Criteo).Line);
    }

    [Fact]
    public void CrlfBomAndMissingFinalNewlineGiveTheSameRows()
    {
        string text = Good(1) + Good(2) + Good(3);
        List<string> expected = ReaderTestKit.ReadAll(text, Criteo);
        Assert.Equal(3, expected.Count);

        byte[] bom = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n"))];
        using IRecordReader reader = ReaderTestKit.Open(bom, Criteo);
        Assert.Equal(expected, ReaderTestKit.ReadAll(reader));
        Assert.Equal(expected, ReaderTestKit.ReadAll(text.TrimEnd('\n'), Criteo));
        Assert.Equal(expected, ReaderTestKit.ReadAll(text.Replace("\n", "\r\n").TrimEnd('\n', '\r'), Criteo));
    }

    [Fact]
    public void LineNumbersCountPhysicalLines()
    {
        using IRecordReader reader = ReaderTestKit.Open(Good(1) + Good(2), Criteo);
        var record = new RawRecord(39);
        Assert.True(reader.Read(record));
        Assert.Equal(1, record.LineNumber);
        Assert.Equal("mem", record.Source);
        Assert.True(reader.Read(record));
        Assert.Equal(2, record.LineNumber);
        Assert.False(reader.Read(record));
        Assert.False(reader.Read(record));
    }

    [Fact]
    public void OverlongLineIsABadLineAndReadingGoesOn()
    {
        string longLine = new string('7', 5000) + "\n";
        var options = Criteo with { MaxLineBytes = 1000, Strict = false, MaxBadRatio = 0.5, BufferSize = 64 };
        using IRecordReader reader = ReaderTestKit.Open(Good(1) + longLine + Good(2) + Good(3), options);
        List<string> rows = ReaderTestKit.ReadAll(reader);
        Assert.Equal(3, rows.Count);
        Assert.Equal(1, reader.Stats.SkippedByReason["line too long (over 1000 bytes)"]);
        Assert.StartsWith("mem:2: line too long (over 1000 bytes): '7777", reader.Stats.FirstMessages[0], StringComparison.Ordinal);
    }

    [Fact]
    public void TenMegabyteLineDoesNotGrowTheBuffer()
    {
        byte[] big = Encoding.UTF8.GetBytes(Good(1) + new string('a', 10 << 20) + "\n" + Good(2));
        var options = Criteo with { Strict = false, MaxBadRatio = 0.5 };
        long before = GC.GetAllocatedBytesForCurrentThread();
        using IRecordReader reader = ReaderTestKit.Open(big, options);
        Assert.Equal(2, ReaderTestKit.ReadAll(reader).Count);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20, "reader allocated more than 4 MiB for a 10 MiB line");
    }

    [Fact]
    public void LibsvmRejectsMalformedFeatures()
    {
        var options = Libsvm with { FieldCount = 2 };
        Assert.Equal("bad feature (expected idx:value)", ReaderTestKit.ReadError("1 3: 4:1\n", options).Reason);
        Assert.Equal("bad feature (expected idx:value)", ReaderTestKit.ReadError("1 :5 4:1\n", options).Reason);
        Assert.Equal("bad feature (expected idx:value)", ReaderTestKit.ReadError("1 a:5 4:1\n", options).Reason);
        Assert.Equal("bad feature (expected idx:value)", ReaderTestKit.ReadError("1 3:x 4:1\n", options).Reason);
        Assert.Equal("non-finite feature value", ReaderTestKit.ReadError("1 3:1e400 4:1\n", options).Reason);
        Assert.Equal("label must be 0, 1 or -1", ReaderTestKit.ReadError("2 3:1 4:1\n", options).Reason);
        Assert.Equal("expected 2 features, found 1", ReaderTestKit.ReadError("1 3:1 4:1\n0 1:1\n", options).Reason);
    }

    /// <summary>Issue 17: libsvm/libffm values of 3e38 gave NaN probabilities and 1e20 probabilities of exactly 0, with exit 0.</summary>
    [Theory]
    [InlineData("3e38")]
    [InlineData("1e20")]
    [InlineData("-1000000.5")]
    public void AFeatureValueBeyondTheBoundIsOutOfRangeOnItsLine(string value)
    {
        DataFormatException libsvm = ReaderTestKit.ReadError($"1 3:1 4:1\n0 3:{value} 4:1\n", Libsvm with { FieldCount = 2 });
        Assert.Equal($"mem:2: feature value out of range (|value| > 1e6): '0 3:{value} 4:1'", libsvm.Message);

        DataFormatException libffm = ReaderTestKit.ReadError($"1 0:5:{value}\n", Libffm);
        Assert.Equal(1, libffm.Line);
        Assert.Equal("feature value out of range (|value| > 1e6)", libffm.Reason);
    }

    [Fact]
    public void FeatureValuesUpToTheBoundAreKept()
    {
        Assert.Equal(["1|3@1000000|4@-1000000"], ReaderTestKit.ReadAll("1 3:1e6 4:-1e6\n", Libsvm with { FieldCount = 2 }));
    }

    [Fact]
    public void LibsvmFeaturesPastTheLastFieldAreMoreFeaturesOfIt()
    {
        Assert.Equal(["1|3|4", "0|1|2+3@0.5+9"], ReaderTestKit.ReadAll("1 3:1 4:1\n0 1:1 2:1 3:0.5 9:1\n", Libsvm with { FieldCount = 2 }));
        Assert.Equal(["1|7@2+8+7"], ReaderTestKit.ReadAll("1 7:2 8:1 7:1\n", Libsvm with { FieldCount = 1 }));
    }

    [Fact]
    public void LibsvmAcceptsIndexZeroSignedLabelsAndInfersTheFieldCount()
    {
        var rows = ReaderTestKit.ReadAll("+1 0:1 7:0.5\n-1 2:1 9:2\n1.0 4:1 0:3\n", Libsvm);
        Assert.Equal(["1|0|7@0.5", "0|2|9@2", "1|4|0@3"], rows);
    }

    [Fact]
    public void LibffmRejectsOutOfRangeFields()
    {
        Assert.Equal("field out of range (declared 3 fields)", ReaderTestKit.ReadError("1 0:5:1 3:6:1\n", Libffm).Reason);
        Assert.Equal("field out of range (declared 3 fields)", ReaderTestKit.ReadError("1 99999999999:5:1\n", Libffm).Reason);
        Assert.Equal("bad feature (expected field:idx:value)", ReaderTestKit.ReadError("1 0:5\n", Libffm).Reason);
        Assert.Equal("bad feature (expected field:idx:value)", ReaderTestKit.ReadError("1 0:x:1\n", Libffm).Reason);
        Assert.Equal("bad feature (expected field:idx:value)", ReaderTestKit.ReadError("1 0:5:\n", Libffm).Reason);
    }

    [Fact]
    public void LibffmRepeatedFieldsAreMultiHotInLineOrder()
    {
        string text = "1 0:5:1 2:9:0.5 0:6:0.25 2:4:1 0:5:1\n0 1:8:1\n";
        Assert.Equal(["1|5+6@0.25+5|?|9@0.5+4", "0|?|8|?"], ReaderTestKit.ReadAll(text, Libffm));
    }

    [Fact]
    public void LibffmAbsentFieldsAreMissingAndTheCountCanBeInferred()
    {
        string text = "1 2:40:0.5 0:7:1\n0 1:8:1\n";
        Assert.Equal(["1|7|?|40@0.5", "0|?|8|?"], ReaderTestKit.ReadAll(text, Libffm));
        using IRecordReader inferred = ReaderTestKit.Open(text, Libffm with { FieldCount = null });
        Assert.Equal(3, inferred.Schema.FieldCount);
        Assert.Equal(["1|7|?|40@0.5", "0|?|8|?"], ReaderTestKit.ReadAll(inferred));
    }

    [Fact]
    public void AvazuIdBeyondInt64IsIgnoredAndBadHoursAreBadLines()
    {
        string header = "id,click,hour,C1,banner_pos,site_id,site_domain,site_category,app_id,app_domain,app_category,device_id,device_ip,device_model,device_type,device_conn_type,C14,C15,C16,C17,C18,C19,C20,C21\n";
        string tail = ",1005,0,a,b,c,d,e,f,g,h,i,1,2,15706,320,50,1722,0,35,-1,79\n";
        var avazu = new ReaderOptions { Format = DataFormat.Avazu };
        var rows = ReaderTestKit.ReadAll(header + "18446744073709551615,1,14102623" + tail, avazu);
        Assert.StartsWith("1|23|0|1005|", rows[0], StringComparison.Ordinal);
        Assert.Equal("bad hour in hour (expected YYMMDDHH)", ReaderTestKit.ReadError(header + "1,0,14023100" + tail, avazu).Reason);
        Assert.Equal("bad hour in hour (expected YYMMDDHH)", ReaderTestKit.ReadError(header + "1,0,14102124" + tail, avazu).Reason);
    }

    [Fact]
    public void UnlabeledCriteoHas39ColumnsAndLabelZero()
    {
        string line = Good(3)[2..];
        var rows = ReaderTestKit.ReadAll(line, Criteo with { Labeled = false });
        Assert.StartsWith("0|3|-1|?|", rows[0], StringComparison.Ordinal);
        Assert.Equal("wrong column count: expected 39, found 40", ReaderTestKit.ReadError(Good(), Criteo with { Labeled = false }).Reason);
    }

    [Fact]
    public void ReaderRejectsARecordOfTheWrongWidth()
    {
        using IRecordReader reader = ReaderTestKit.Open(Good(), Criteo);
        Assert.Throws<ArgumentException>(() => reader.Read(new RawRecord(5)));
    }
}
