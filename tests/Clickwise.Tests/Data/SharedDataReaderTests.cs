using System.Text;
using Clickwise.Data;
using Clickwise.Data.Readers;

namespace Clickwise.Tests.Data;

/// <summary>Every real file in ../shared/data that a reader covers, with row counts, positives and first rows checked.</summary>
[Trait("Category", SharedData.Category)]
public sealed class SharedDataReaderTests
{
    private static (List<string> Rows, IRecordReader Reader) ReadFile(string relative, ReaderOptions options)
    {
        IRecordReader reader = RecordReaders.Open(SharedData.Path(relative), options);
        return (ReaderTestKit.ReadAll(reader), reader);
    }

    private static int Positives(List<string> rows) => rows.Count(r => r.StartsWith("1|", StringComparison.Ordinal));

    [Fact]
    public void DeepCtrCriteoSampleReadsByHeaderName()
    {
        var (rows, reader) = ReadFile("criteo_deepctr_sample/criteo_sample.txt", new ReaderOptions { Format = DataFormat.CriteoCsv });
        using (reader)
        {
            Assert.Equal(200, rows.Count);
            Assert.Equal(49, Positives(rows));
            Assert.Equal(39, reader.Schema.FieldCount);
            Assert.Equal(FieldKind.Numeric, reader.Schema.Kinds[2]);
            Assert.Equal("C26", reader.Schema.FieldNames[38]);
            Assert.Equal(
                "0|?|3|260|?|17668|?|?|33|?|?|?|0|?|05db9164|08d6d899|9143c832|f56b7dd5|25c83c98|7e0ccccf|df5c2d18|0b153874|a73ee510|8f48ce11|a7b606c4|ae1bb660|eae197fd|b28479f6|bfef54b3|bad5ee18|e5ba7672|87c6f83c|?|?|0429f84b|?|3a171ecb|c0d61a5c|?|?",
                rows[0]);
            Assert.Equal("0|?|-1|19|35|30251|247|1|35|160|?|1|?|35", string.Join('|', rows[1].Split('|')[..14]));
            Assert.Equal("lines=200, parsed=200, skipped=0", reader.Stats.ToString());
        }
    }

    [Fact]
    public void Kaggle2014CriteoCsvIgnoresIdAndHandlesCrlf()
    {
        var (rows, reader) = ReadFile("criteo_kaggle2014_tiny/train.tiny.csv", new ReaderOptions { Format = DataFormat.CriteoCsv });
        using (reader)
        {
            Assert.Equal(1999, rows.Count);
            Assert.Equal(418, Positives(rows));
            Assert.StartsWith("0|1|1|5|0|1382|4|15|2|181|1|2|?|2|68fd1e64|80e26c9b|", rows[0], StringComparison.Ordinal);
            Assert.EndsWith("|07b5194c|?|3a171ecb|c5c50484|e8b83407|9727dd16", rows[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Kaggle2014CriteoTestFileHasDummyLabels()
    {
        var (rows, reader) = ReadFile("criteo_kaggle2014_tiny/test.tiny.csv", new ReaderOptions { Format = DataFormat.CriteoCsv });
        using (reader)
        {
            Assert.Equal(1999, rows.Count);
            Assert.Equal(0, Positives(rows));
            Assert.StartsWith("0|?|29|50|5|7260|437|1|4|14|?|1|0|6|5a9ed9b0|", rows[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DeepLightTinyIsAllCategoricalIndices()
    {
        var (rows, reader) = ReadFile("criteo_deeplight_tiny/tiny_train_input.csv", new ReaderOptions { Format = DataFormat.DeepLight });
        using (reader)
        {
            Assert.Equal(10000, rows.Count);
            Assert.Equal(2563, Positives(rows));
            Assert.All(reader.Schema.Kinds, k => Assert.Equal(FieldKind.Categorical, k));
            Assert.Equal("0|0|1|2|3|0|0|0|7|21|2|0|2|3|3|25|21|29|3|0|26|1|0|22|25|22|25|2|31|25|6|29|1|2|25|0|1|27|1|2", rows[0]);
        }

        var (test, testReader) = ReadFile("criteo_deeplight_tiny/tiny_test_input.csv", new ReaderOptions { Format = DataFormat.DeepLight });
        using (testReader)
        {
            Assert.Equal(10000, test.Count);
            Assert.Equal(2526, Positives(test));
        }
    }

    [Fact]
    public void AvazuSampleDerivesHourOfDayAndWeekday()
    {
        var (rows, reader) = ReadFile("avazu_deepctr_sample/avazu_sample.txt", new ReaderOptions { Format = DataFormat.Avazu });
        using (reader)
        {
            Assert.Equal(100, rows.Count);
            Assert.Equal(20, Positives(rows));
            Assert.Equal(23, reader.Schema.FieldCount);
            Assert.Equal(["hour_of_day", "weekday", "C1", "banner_pos"], reader.Schema.FieldNames.Take(4));

            // 14102100 is 2014-10-21 00h, a Tuesday (DayOfWeek 2); id is not a feature.
            Assert.Equal(
                "0|00|2|1005|0|1fbe01fe|f3845767|28905ebd|ecad2386|7801e8d9|07d7df22|a99f214a|ddd2926e|44956a24|1|2|15706|320|50|1722|0|35|-1|79",
                rows[0]);
        }
    }

    [Fact]
    public void AvazuKaggleTinyWithCrlf()
    {
        var (rows, reader) = ReadFile("avazu_kaggle2014_tiny/va.rx.csv", new ReaderOptions { Format = DataFormat.Avazu });
        using (reader)
        {
            Assert.Equal(2994, rows.Count);
            Assert.Equal(522, Positives(rows));
            Assert.Equal(rows[0], rows[499]);
            Assert.DoesNotContain(rows, r => r.Contains('\r'));
        }
    }

    [Fact]
    public void XlearnLibffmRepeatsFieldsInOneRowInTenAndEveryRowReads()
    {
        var (rows, reader) = ReadFile("criteo_xlearn_libffm/small_train.txt", new ReaderOptions { Format = DataFormat.Libffm });
        using (reader)
        {
            Assert.Equal(18, reader.Schema.FieldCount);
            Assert.Equal(200, rows.Count);
            Assert.Equal(0, reader.Stats.Skipped);
            Assert.Equal(48, Positives(rows));
            Assert.Equal(20, rows.Count(r => r.Contains('+')));
            Assert.Equal(
                "1|0@0.3651|?|1163@0.3651|8672@0.3651|2183@0.3651|2332@0.3651|185@0.3651|2569@0.3651|8131@0.3651|5483@0.3651|215@0.3651|1520@0.3651|1232@0.3651|2738@0.3651|2935@0.3651|5428@0.3651|7755@0.5|2434@0.5",
                rows[0]);
            Assert.EndsWith("|8255@0.28868+7755@0.28868+928@0.28868|5398@0.28868+2434@0.28868+3723@0.28868", rows[8], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FrappeLibfmMapsMinusOneToZero()
    {
        var (rows, reader) = ReadFile("frappe/frappe.test.libfm", new ReaderOptions { Format = DataFormat.Libsvm });
        using (reader)
        {
            Assert.Equal(10, reader.Schema.FieldCount);
            Assert.Equal(28860, rows.Count);
            Assert.Equal(9536, Positives(rows));
            Assert.Equal("0|204|4798|5041|5046|5053|5055|5058|5060|5073|5183", rows[0]);
        }
    }

    [Fact]
    public void IpinyouLibfmHas16PositionalFields()
    {
        var (rows, reader) = ReadFile("ipinyou_deepctr/train.fm.txt", new ReaderOptions { Format = DataFormat.Libsvm });
        using (reader)
        {
            Assert.Equal(16, reader.Schema.FieldCount);
            Assert.Equal(26773, rows.Count);
            Assert.Equal(255, Positives(rows));
            Assert.Equal("0|1|6|31|45|131280|131315|131682|131684|132484|133445|133447|133449|133453|133455|133459|133461", rows[0]);
        }
    }

    [Fact]
    public void MovieLensTagReadsAsSpaceSeparatedCsvWithNames()
    {
        var options = new ReaderOptions
        {
            Format = DataFormat.Csv,
            Delimiter = ' ',
            ColumnNames = ["label", "user", "movie", "tag"],
            CategoricalColumns = ["user", "movie", "tag"],
        };
        var (rows, reader) = ReadFile("ml_tag_paddlerec_sample/ml-tag-sample.data", options);
        using (reader)
        {
            Assert.Equal(1024, rows.Count);
            Assert.Equal(343, Positives(rows));
            Assert.Equal("0|0|1|2", rows[0]);
        }
    }

    [Fact]
    public void GzippedSharedFileReadsTheSameRowsAsPlain()
    {
        string path = SharedData.Path("criteo_kaggle2014_tiny/train.tiny.csv");
        var options = new ReaderOptions { Format = DataFormat.CriteoCsv };
        List<string> plain;
        using (IRecordReader reader = RecordReaders.Open(path, options))
        {
            plain = ReaderTestKit.ReadAll(reader);
        }

        byte[] gz = ReaderTestKit.Gzip(File.ReadAllBytes(path));
        using IRecordReader gzReader = ReaderTestKit.Open(gz, options);
        Assert.Equal(plain, ReaderTestKit.ReadAll(gzReader));
        Assert.True(Encoding.UTF8.GetString(gz).Length < new FileInfo(path).Length);
    }
}
