using Clickwise.Features;

namespace Clickwise.Tests.Features;

public sealed class TokenArenaTests
{
    [Fact]
    public void GivesBackEveryTokenThroughGrowthsAndAfterClear()
    {
        var arena = new TokenArena();
        var random = new Random(4);
        // Empty, one-byte-length and two-byte-length tokens (128+ bytes), enough to grow the array several times.
        byte[][] tokens = [[], .. Enumerable.Range(0, 3_000).Select(i => RandomBytes(random, i % 7 == 0 ? 130 + i % 200 : i % 12))];
        uint[] references = [.. tokens.Select(token => arena.Add(token))];

        Assert.DoesNotContain(0u, references);
        for (int i = 0; i < tokens.Length; i++)
        {
            Assert.Equal(tokens[i], arena.Get(references[i]).ToArray());
        }

        long size = arena.BytesAfter(0);
        Assert.True(size >= tokens.Sum(token => token.Length + 1));
        arena.Clear();
        Assert.Equal(size, arena.BytesAfter(0));
        Assert.Equal(1u, arena.Add("x"u8));
        Assert.Equal("x"u8.ToArray(), arena.Get(1).ToArray());
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
