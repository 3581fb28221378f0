using System.Text;
using Clickwise.Features;

namespace Clickwise.Tests.Features;

public sealed class NumericBucketingTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 1)]
    [InlineData(2.0, 2)] // not > 2: stays itself
    [InlineData(3.0, 1)] // ln(3)² = 1.207
    [InlineData(10.0, 5)] // ln(10)² = 5.302
    [InlineData(100.0, 21)] // ln(100)² = 21.208
    [InlineData(2.5, 0)] // ln(2.5)² = 0.840
    [InlineData(1.9, 1)] // truncated toward zero
    [InlineData(-1.0, -1)] // negative counts are their own categories
    [InlineData(-0.5, 0)]
    [InlineData(-3.0, -3)]
    [InlineData(1e9, 429)] // ln(1e9)² = 429.46
    public void LogSquareMatchesTheCriteoWinnersRule(double x, long expected) =>
        Assert.Equal(expected, NumericBucketing.LogSquare(x));

    [Theory]
    [InlineData(-1L, "-1")]
    [InlineData(21L, "21")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    public void TokensAreInvariantDecimalText(long category, string expected)
    {
        Span<byte> buffer = stackalloc byte[24];
        int length = NumericBucketing.FormatToken(category, buffer);
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..length]));
    }
}
