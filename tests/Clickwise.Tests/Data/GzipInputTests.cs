using System.Text;
using Clickwise.Data;
using Clickwise.Data.Readers;

namespace Clickwise.Tests.Data;

public sealed class GzipInputTests
{
    private static readonly ReaderOptions Criteo = new() { Format = DataFormat.Criteo };

    private static byte[] CriteoText(int rows, int offset = 0) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(offset, rows).Select(i => ReaderTestKit.ValidCriteoLine(i % 2, i) + "\n")));

    [Fact]
    public void GzipIsDetectedByMagicNotByName()
    {
        byte[] text = CriteoText(500);
        using IRecordReader plain = ReaderTestKit.Open(text, Criteo);
        using IRecordReader gz = ReaderTestKit.Open(ReaderTestKit.Gzip(text), Criteo, chunk: 333);
        Assert.Equal(ReaderTestKit.ReadAll(plain), ReaderTestKit.ReadAll(gz));
    }

    [Fact]
    public void ConcatenatedMembersReadAsOneFile()
    {
        byte[] joined = [.. ReaderTestKit.Gzip(CriteoText(300)), .. ReaderTestKit.Gzip(CriteoText(200, 300))];
        using IRecordReader reader = ReaderTestKit.Open(joined, Criteo);
        List<string> rows = ReaderTestKit.ReadAll(reader);
        using IRecordReader expected = ReaderTestKit.Open(CriteoText(500), Criteo);
        Assert.Equal(ReaderTestKit.ReadAll(expected), rows);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(2000)]
    public void TruncatedGzipFailsWithTheByteOffset(int cut)
    {
        byte[] gz = ReaderTestKit.Gzip(CriteoText(2000));
        byte[] truncated = gz[..^cut];
        var error = Assert.Throws<DataFormatException>(() =>
        {
            using IRecordReader reader = ReaderTestKit.Open(truncated, Criteo);
            ReaderTestKit.ReadAll(reader);
        });
        Assert.Equal(0, error.Line);
        Assert.Equal($"truncated gzip input (ends at compressed byte {truncated.Length})", error.Reason);
    }

    [Fact]
    public void CorruptGzipFailsInsteadOfYieldingGarbage()
    {
        byte[] gz = ReaderTestKit.Gzip(CriteoText(300));
        gz[^6] ^= 0xFF;
        var error = Assert.Throws<DataFormatException>(() =>
        {
            using IRecordReader reader = ReaderTestKit.Open(gz, Criteo);
            ReaderTestKit.ReadAll(reader);
        });
        Assert.StartsWith("corrupt gzip data", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyGzipIsEmptyInput()
    {
        // A complete member holding zero bytes: header, an empty final deflate block, CRC 0, size 0.
        byte[] emptyMember = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
        var error = Assert.Throws<DataFormatException>(() => ReaderTestKit.Open(emptyMember, Criteo));
        Assert.Equal("empty input", error.Reason);
    }

    [Fact]
    public void GzipFileOnDiskWithAnyName()
    {
        string path = Path.Combine(Path.GetTempPath(), $"clickwise-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllBytes(path, ReaderTestKit.Gzip(CriteoText(50)));
            using IRecordReader reader = RecordReaders.Open(path, Criteo);
            Assert.Equal(50, ReaderTestKit.ReadAll(reader).Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
