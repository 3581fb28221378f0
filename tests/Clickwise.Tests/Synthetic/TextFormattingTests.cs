using System.Text;
using Clickwise.Data.Synthetic;

namespace Clickwise.Tests.Synthetic;

public sealed class TextFormattingTests
{
    [Fact]
    public void NumbersAndHexFormatLikeInvariantText()
    {
        var buffer = new Utf8Buffer(4);
        long[] longs = [0, 7, -1, 10, -3, 1234567890123, long.MaxValue, long.MinValue + 1];
        foreach (long value in longs)
        {
            buffer.Reserve(32);
            buffer.Append(value);
            buffer.Append((byte)' ');
        }

        buffer.Reserve(64);
        buffer.Append(ulong.MaxValue);
        buffer.Append((byte)' ');
        buffer.AppendHex8(0x0429f84b);
        buffer.Append((byte)' ');
        buffer.AppendHex8(uint.MaxValue);
        buffer.Append((byte)' ');
        buffer.AppendTwoDigits(7);
        string expected = string.Join(' ', longs.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            + " 18446744073709551615 0429f84b ffffffff 07";
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.Written));
    }

    [Fact]
    public void HexTokensOfDistinctRanksAreDistinct()
    {
        var text = new CategoryText(SyntheticField.Hex("C3", 1_000_000), fieldIndex: 16);
        var buffer = new Utf8Buffer(1 << 20);
        var seen = new HashSet<string>();
        for (long rank = 0; rank < 200_000; rank++)
        {
            buffer.Clear();
            buffer.Reserve(8);
            text.Write(buffer, rank);
            Assert.True(seen.Add(Encoding.ASCII.GetString(buffer.Written)));
        }
    }

    [Fact]
    public void HeadTokensListsAndRangesAreWrittenAsDeclared()
    {
        string Token(SyntheticField field, long rank)
        {
            var buffer = new Utf8Buffer(64);
            buffer.Reserve(64);
            new CategoryText(field, 0).Write(buffer, rank);
            return Encoding.ASCII.GetString(buffer.Written);
        }

        SyntheticField site = SyntheticField.Hex("site_id", 10) with { Head = ["85f751fd"] };
        Assert.Equal("85f751fd", Token(site, 0));
        Assert.Matches("^[0-9a-f]{8}$", Token(site, 1));
        SyntheticField widths = SyntheticField.Ints("C15", 320, 300, 216);
        Assert.Equal("216", Token(widths, 2));
        SyntheticField codes = SyntheticField.Range("C20", 172, first: 100000, span: 251) with { Head = ["-1"] };
        Assert.Equal("-1", Token(codes, 0));
        Assert.Equal((100000 + 7919 % 251).ToString(System.Globalization.CultureInfo.InvariantCulture), Token(codes, 1));
        Assert.Equal(171, Enumerable.Range(1, 171).Select(r => Token(codes, r)).Distinct().Count());
    }
}
