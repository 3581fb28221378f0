using System.Globalization;
using System.IO.Compression;
using Clickwise.Data.Synthetic;

namespace Clickwise.Tests.Synthetic;

public sealed class SyntheticGeneratorTests
{
    private const string AvazuHeader =
        "id,click,hour,C1,banner_pos,site_id,site_domain,site_category,app_id,app_domain,app_category,device_id,"
        + "device_ip,device_model,device_type,device_conn_type,C14,C15,C16,C17,C18,C19,C20,C21";

    [Fact]
    public void CriteoRowsHaveFortyParseableTabColumns()
    {
        string[] lines = GeneratedSamples.Lines(GeneratedSamples.Criteo.Bytes);
        Assert.Equal(GeneratedSamples.Rows, lines.Length);
        var missing = new int[40];
        bool sawNegative = false;
        foreach (string line in lines)
        {
            string[] columns = line.Split('\t');
            Assert.Equal(40, columns.Length);
            Assert.True(columns[0] is "0" or "1", line);
            for (int c = 1; c < 40; c++)
            {
                if (columns[c].Length == 0)
                {
                    missing[c]++;
                    continue;
                }

                if (c <= 13)
                {
                    long value = long.Parse(columns[c], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    sawNegative |= value < 0;
                    Assert.True(value >= -3, line);
                    Assert.True(value >= 0 || c == 2, $"only I2 may be negative: {line}");
                }
                else
                {
                    Assert.Matches("^[0-9a-f]{8}$", columns[c]);
                }
            }
        }

        Assert.True(sawNegative);

        // Criteo-like missing rates: I1 ≈ 45%, I2 never, I12 ≈ 77%, C19 ≈ 44%, C1 never.
        double Rate(int column) => (double)missing[column] / lines.Length;
        Assert.InRange(Rate(1), 0.43, 0.48);
        Assert.Equal(0, missing[2]);
        Assert.InRange(Rate(12), 0.75, 0.78);
        Assert.InRange(Rate(13 + 19), 0.42, 0.46);
        Assert.Equal(0, missing[14]);
    }

    [Fact]
    public void AvazuRowsHaveTheRealHeaderAndTwentyFourColumns()
    {
        string[] lines = GeneratedSamples.Lines(GeneratedSamples.Avazu.Bytes);
        Assert.Equal(AvazuHeader, lines[0]);
        Assert.Equal(GeneratedSamples.Rows + 1, lines.Length);
        bool sawIdBeyondInt64 = false;
        int previousHour = 0;
        foreach (string line in lines.Skip(1))
        {
            string[] columns = line.Split(',');
            Assert.Equal(24, columns.Length);
            ulong id = ulong.Parse(columns[0], CultureInfo.InvariantCulture);
            sawIdBeyondInt64 |= id > long.MaxValue;
            Assert.True(columns[1] is "0" or "1", line);

            int hour = int.Parse(columns[2], CultureInfo.InvariantCulture);
            Assert.InRange(hour, 14102100, 14103023);
            Assert.InRange(hour % 100, 0, 23);
            Assert.True(hour >= previousHour, "rows are in time order");
            previousHour = hour;
            for (int c = 3; c < 24; c++)
            {
                Assert.Matches("^(-?[0-9]+|[0-9a-f]{8})$", columns[c]);
            }

            // Site rows carry the app placeholders and app rows the site placeholders.
            Assert.True(columns[5] == "85f751fd" || columns[8] == "ecad2386", line);
        }

        Assert.True(sawIdBeyondInt64);
        Assert.Equal(14103023, previousHour);
    }

    [Fact]
    [Trait("Category", SharedData.Category)]
    public void AvazuHeaderAndCriteoWidthMatchTheRealSamples()
    {
        string avazu = File.ReadLines(SharedData.Path("avazu_deepctr_sample/avazu_sample.txt")).First();
        Assert.Equal(avazu, GeneratedSamples.Lines(GeneratedSamples.Avazu.Bytes)[0]);
        string criteo = File.ReadLines(SharedData.Path("criteo_deepctr_sample/criteo_sample.txt")).Skip(1).First();
        Assert.Equal(criteo.Split(',').Length, GeneratedSamples.Lines(GeneratedSamples.Criteo.Bytes)[0].Split('\t').Length);
    }

    [Theory]
    [InlineData("criteo")]
    [InlineData("avazu")]
    public void PositiveRateAndTeacherAucAreCriteoLike(string profile)
    {
        (SyntheticReport report, byte[] bytes) = profile == "criteo" ? GeneratedSamples.Criteo : GeneratedSamples.Avazu;
        Assert.Equal(GeneratedSamples.Rows, report.Rows);
        Assert.Equal(bytes.Length, report.Bytes);
        Assert.InRange(report.PositiveRate, 0.23, 0.27);
        Assert.InRange(report.TeacherAuc, 0.77, 0.83);
        Assert.True(report.Seconds > 0);

        string[] lines = GeneratedSamples.Lines(bytes);
        int labelColumn = profile == "criteo" ? 0 : 1;
        int positives = lines.Skip(profile == "criteo" ? 0 : 1).Count(l => l.Split(l.Contains('\t') ? '\t' : ',')[labelColumn] == "1");
        Assert.Equal(report.PositiveRate, (double)positives / report.Rows, 12);
    }

    [Fact]
    public void SameSeedSameBytesOtherSeedOtherBytes()
    {
        (SyntheticReport again, byte[] bytes) = GeneratedSamples.Make("criteo", GeneratedSamples.Rows, 1, threads: 1);
        Assert.Equal(GeneratedSamples.Criteo.Bytes, bytes);
        Assert.Equal(GeneratedSamples.Criteo.Report.TeacherAuc, again.TeacherAuc);

        (SyntheticReport other, byte[] otherBytes) = GeneratedSamples.Make("criteo", GeneratedSamples.Rows, 2);
        Assert.NotEqual(bytes, otherBytes);
        Assert.NotEqual(again.TeacherAuc, other.TeacherAuc);
        string[] a = GeneratedSamples.Lines(bytes);
        string[] b = GeneratedSamples.Lines(otherBytes);
        Assert.True(a.Zip(b).Count(p => p.First == p.Second) < 10, "different seeds should share almost no rows");
    }

    [Fact]
    public void BytesDoNotDependOnThreadCount()
    {
        // Three chunks, the last one short.
        const long rows = 2 * SyntheticGenerator.ChunkRows + 1234;
        (SyntheticReport one, byte[] single) = GeneratedSamples.Make("avazu", rows, 42, threads: 1);
        foreach (int threads in new[] { 2, 3 })
        {
            (SyntheticReport many, byte[] parallel) = GeneratedSamples.Make("avazu", rows, 42, threads);
            Assert.Equal(single, parallel);
            Assert.Equal(one.TeacherAuc, many.TeacherAuc);
            Assert.Equal(one.PositiveRate, many.PositiveRate);
        }
    }

    [Fact]
    public void GzipPathHoldsTheSameText()
    {
        string path = Path.Combine(Path.GetTempPath(), $"clickwise-synth-{Guid.NewGuid():N}.tsv.gz");
        try
        {
            var options = new SyntheticOptions { Profile = "criteo", Rows = 3000, Seed = 9 };
            SyntheticReport report = SyntheticGenerator.Generate(options, path);
            using var plain = new MemoryStream();
            SyntheticGenerator.Generate(options, plain);
            using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var unpacked = new MemoryStream();
            gzip.CopyTo(unpacked);
            Assert.Equal(plain.ToArray(), unpacked.ToArray());
            Assert.Equal(unpacked.Length, report.Bytes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NoRowsWritesOnlyTheHeader()
    {
        (SyntheticReport criteo, byte[] criteoBytes) = GeneratedSamples.Make("criteo", 0, 1);
        Assert.Empty(criteoBytes);
        Assert.True(double.IsNaN(criteo.PositiveRate) && double.IsNaN(criteo.TeacherAuc));
        (_, byte[] avazuBytes) = GeneratedSamples.Make("avazu", 0, 1);
        Assert.Equal(AvazuHeader + "\n", System.Text.Encoding.UTF8.GetString(avazuBytes));
    }

    [Fact]
    public void SkippingTheTeacherAucKeepsTheBytes()
    {
        using var stream = new MemoryStream();
        SyntheticReport report = SyntheticGenerator.Generate(
            new SyntheticOptions { Profile = "criteo", Rows = 5000, Seed = 1, ComputeTeacherAuc = false }, stream);
        Assert.True(double.IsNaN(report.TeacherAuc));
        Assert.Equal(GeneratedSamples.Make("criteo", 5000, 1).Bytes, stream.ToArray());
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentException>(() => SyntheticGenerator.Generate(new SyntheticOptions { Profile = "kdd" }, stream));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticGenerator.Generate(new SyntheticOptions { Rows = -1 }, stream));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticGenerator.Generate(new SyntheticOptions { Threads = 0 }, stream));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticGenerator.Generate(new SyntheticOptions { PositiveRate = 1 }, stream));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticGenerator.Generate(new SyntheticOptions { CardinalityScale = 0 }, stream));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticGenerator.Generate(new SyntheticOptions { ZipfExponent = 1 }, stream));
        Assert.Equal(0, stream.Length);

        string path = Path.Combine(Path.GetTempPath(), $"clickwise-synth-{Guid.NewGuid():N}.tsv");
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticGenerator.Generate(new SyntheticOptions { Rows = -5 }, path));
        Assert.False(File.Exists(path), "invalid options must not create the output file");
    }

    [Fact]
    public void CriteoHeadCategoriesFollowZipf()
    {
        // C2 has 583 categories: Zipf(1.1) puts ≈ 17% of rows on its most frequent one, half that on the second.
        string[] lines = GeneratedSamples.Lines(GeneratedSamples.Criteo.Bytes);
        var counts = lines.Select(l => l.Split('\t')[15]).GroupBy(t => t).Select(g => g.Count()).OrderDescending().ToArray();
        var zipf = new ZipfSampler(583, 1.1);
        for (int rank = 0; rank < 3; rank++)
        {
            double expected = zipf.Probability(rank);
            double observed = (double)counts[rank] / lines.Length;
            Assert.InRange(observed, expected * 0.93, expected * 1.07);
        }

        Assert.InRange(zipf.Probability(0), 0.15, 0.2);
        Assert.Equal(Math.Pow(2, -1.1), zipf.Probability(1) / zipf.Probability(0), 12);
    }
}
