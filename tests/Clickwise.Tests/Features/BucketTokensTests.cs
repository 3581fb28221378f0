using System.Text;
using Clickwise.Features;

namespace Clickwise.Tests.Features;

public sealed class BucketTokensTests
{
    /// <summary>Remembered or not (values repeat, and 20,000 of them share 1,024 slots), a token is the one computed afresh.</summary>
    [Fact]
    public void EveryTokenIsTheBucketOfItsValue()
    {
        var tokens = new BucketTokens();
        var random = new Random(3);
        Span<byte> expected = stackalloc byte[24];
        for (int i = 0; i < 20_000; i++)
        {
            double value = (i % 4) switch
            {
                0 => random.Next(-5, 300),
                1 => random.NextDouble() * 1e6,
                2 => -random.NextDouble() * 1e9,
                _ => i % 3 == 0 ? -0.0 : 0.0,
            };
            int length = NumericBucketing.FormatToken(NumericBucketing.LogSquare(value), expected);
            Assert.Equal(Encoding.ASCII.GetString(expected[..length]), Encoding.ASCII.GetString(tokens.Of(value)));
        }
    }
}
