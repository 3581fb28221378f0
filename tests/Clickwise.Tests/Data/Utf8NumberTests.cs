using System.Globalization;
using System.Text;
using Clickwise.Data.Readers;

namespace Clickwise.Tests.Data;

public sealed class Utf8NumberTests
{
    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("-1", -1.0)]
    [InlineData("+7", 7.0)]
    [InlineData("260.0", 260.0)]
    [InlineData("0.1", 0.1)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("123456789012345", 123456789012345.0)]
    [InlineData("1234567890123456789", 1234567890123456789.0)]
    [InlineData("0.30000000000000004", 0.30000000000000004)]
    [InlineData("1e3", 1000.0)]
    [InlineData("-2.5E-3", -0.0025)]
    public void ParsesLikeDoubleParse(string text, double expected)
    {
        Assert.True(Utf8Number.TryParse(Encoding.UTF8.GetBytes(text), out double value));
        Assert.Equal(expected, value);
        Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("inf")]
    [InlineData("-INF")]
    [InlineData("Infinity")]
    [InlineData("1e309")]
    [InlineData("-1e400")]
    public void NonFiniteTextParsesToANonFiniteValue(string text)
    {
        Assert.True(Utf8Number.TryParse(Encoding.UTF8.GetBytes(text), out double value));
        Assert.False(double.IsFinite(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("0x10")]
    [InlineData("1,5")]
    [InlineData("abc")]
    public void RejectsNonNumbers(string text) => Assert.False(Utf8Number.TryParse(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void FastPathAgreesWithDoubleParseOnRandomDecimals()
    {
        var random = new Random(7);
        for (int i = 0; i < 20000; i++)
        {
            long mantissa = random.NextInt64(-999_999_999_999_999, 999_999_999_999_999);
            int scale = random.Next(0, 15);
            string text = (mantissa / Math.Pow(10, scale)).ToString("F" + scale, CultureInfo.InvariantCulture);
            Assert.True(Utf8Number.TryParse(Encoding.UTF8.GetBytes(text), out double value));
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), value);
        }
    }

    [Theory]
    [InlineData("0", false, 0f)]
    [InlineData("1", false, 1f)]
    [InlineData("1.0", false, 1f)]
    [InlineData("0.0", false, 0f)]
    [InlineData("-1", true, 0f)]
    [InlineData("+1", true, 1f)]
    public void AcceptsLabels(string text, bool signed, float expected)
    {
        Assert.True(Utf8Number.TryParseLabel(Encoding.UTF8.GetBytes(text), signed, out float label));
        Assert.Equal(expected, label);
    }

    [Theory]
    [InlineData("2", true)]
    [InlineData("0.5", true)]
    [InlineData("", true)]
    [InlineData("-1", false)]
    [InlineData("+1", false)]
    [InlineData("NaN", true)]
    [InlineData("-2", true)]
    public void RejectsLabels(string text, bool signed) => Assert.False(Utf8Number.TryParseLabel(Encoding.UTF8.GetBytes(text), signed, out _));
}
