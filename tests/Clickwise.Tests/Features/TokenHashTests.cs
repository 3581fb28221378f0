using System.Text;
using Clickwise.Features;

namespace Clickwise.Tests.Features;

public sealed class TokenHashTests
{
    /// <summary>Tokens as preparation sees them: decimal numbers, 8-hex-digit Criteo categories, and every length to 40.</summary>
    private static IEnumerable<byte[]> Tokens()
    {
        for (int i = 0; i < 100_000; i++)
        {
            yield return Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            yield return Encoding.ASCII.GetBytes(((uint)i * 2654435761u).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        }

        for (int length = 0; length <= 40; length++)
        {
            yield return [.. Enumerable.Repeat((byte)'a', length)];
            yield return [.. Enumerable.Repeat((byte)0, length)];
        }
    }

    [Fact]
    public void DistinctTokensGetDistinctHashesInEachHalf()
    {
        byte[][] tokens = [.. Tokens().Distinct(new BytesComparer())];
        var h1 = new HashSet<ulong>();
        var h2 = new HashSet<ulong>();
        foreach (byte[] token in tokens)
        {
            (ulong a, ulong b) = TokenHash.Hash128(token, seed: 0);
            Assert.True(h1.Add(a), Encoding.ASCII.GetString(token));
            Assert.True(h2.Add(b), Encoding.ASCII.GetString(token));
            Assert.Equal(a, TokenHash.Hash64(token, seed: 0));
        }
    }

    [Fact]
    public void TheSeedAndEveryByteChangeTheHash()
    {
        byte[] token = "68fd1e64deadbeef0123"u8.ToArray();
        (ulong h1, ulong h2) = TokenHash.Hash128(token, seed: 0);
        Assert.NotEqual(h1, TokenHash.Hash128(token, seed: 1).H1);
        for (int i = 0; i < token.Length; i++)
        {
            byte[] changed = [.. token];
            changed[i] ^= 1;
            (ulong c1, ulong c2) = TokenHash.Hash128(changed, seed: 0);
            Assert.NotEqual(h1, c1);
            Assert.NotEqual(h2, c2);
        }
    }

    /// <summary>The top bits pick a table slot: over 200,000 tokens each of 256 top-byte values holds about 1/256 of them.</summary>
    [Fact]
    public void TopBitsSpreadEvenly()
    {
        int[] buckets = new int[256];
        int count = 0;
        foreach (byte[] token in Tokens())
        {
            buckets[TokenHash.Hash64(token, seed: 0) >> 56]++;
            count++;
        }

        double expected = count / 256.0;
        Assert.All(buckets, b => Assert.InRange(b, expected * 0.85, expected * 1.15));
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => (int)TokenHash.Hash64(obj, 7);
    }
}
