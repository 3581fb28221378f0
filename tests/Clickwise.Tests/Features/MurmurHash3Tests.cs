using System.Text;
using Clickwise.Features;

namespace Clickwise.Tests.Features;

public sealed class MurmurHash3Tests
{
    // Published MurmurHash3 vectors (SMHasher; "", "hello", "Hello, world!"/1234, the quick brown fox), with the
    // remaining cases cross-checked against an independent Python implementation of the reference C++.
    public static TheoryData<string, uint, uint> X86Vectors => new()
    {
        { "", 0, 0x00000000 },
        { "", 1, 0x514E28B7 },
        { "hello", 0, 0x248BFA47 },
        { "hello", 1, 0xBB4ABCAD },
        { "Hello, world!", 1234, 0xFAF6CDB3 },
        { "The quick brown fox jumps over the lazy dog", 0, 0x2E4FF723 },
        { "0123456789abcdefg", 42, 0x834353A6 },
    };

    public static TheoryData<string, uint, ulong, ulong> X64Vectors => new()
    {
        { "", 0, 0x0000000000000000, 0x0000000000000000 },
        { "", 1, 0x4610ABE56EFF5CB5, 0x51622DAA78F83583 },
        { "hello", 0, 0xCBD8A7B341BD9B02, 0x5B1E906A48AE1D19 },
        { "hello", 1, 0xA78DDFF5ADAE8D10, 0x128900EF20900135 },
        { "Hello, world!", 1234, 0x61130E64AA0AC6FE, 0x51F9046D087E1B56 },
        { "The quick brown fox jumps over the lazy dog", 0, 0xE34BBC7BBC071B6C, 0x7A433CA9C49A9347 },
        { "0123456789abcdef", 0, 0x4BE06D94CF4AD1A7, 0x87C35B5C63A708DA },
        { "0123456789abcdefg", 42, 0xD7144105F707CB7C, 0x4981B28D2F17A7DB },
        { "68fd1e64", 0, 0x8953F14FF7E8C888, 0xE728BC4A01C3466D },
    };

    [Theory]
    [MemberData(nameof(X86Vectors))]
    public void Hash32MatchesReference(string text, uint seed, uint expected) =>
        Assert.Equal(expected, MurmurHash3.Hash32(Encoding.ASCII.GetBytes(text), seed));

    [Theory]
    [MemberData(nameof(X64Vectors))]
    public void Hash128MatchesReference(string text, uint seed, ulong h1, ulong h2)
    {
        Assert.Equal((h1, h2), MurmurHash3.Hash128(Encoding.ASCII.GetBytes(text), seed));
        Assert.Equal(h1, MurmurHash3.Hash64(Encoding.ASCII.GetBytes(text), seed));
    }

    [Fact]
    public void HashOfASliceEqualsHashOfACopyForEveryTailLength()
    {
        byte[] data = Enumerable.Range(0, 64).Select(i => (byte)(i * 37)).ToArray();
        for (int start = 0; start < 4; start++)
        {
            for (int length = 0; length <= 40; length++)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(start, length);
                byte[] copy = slice.ToArray();
                Assert.Equal(MurmurHash3.Hash128(copy, 7), MurmurHash3.Hash128(slice, 7));
                Assert.Equal(MurmurHash3.Hash32(copy, 7), MurmurHash3.Hash32(slice, 7));
            }
        }
    }
}
