using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Clickwise.Features;

/// <summary>
/// The hash a vocabulary counts and finds tokens by: a multiply-and-fold hash in the manner of wyhash (a 64×64→128-bit
/// product whose halves are XORed), reading a token of up to 16 bytes in two overlapping 8-byte (or 4-byte) loads
/// instead of MurmurHash3's byte-by-byte tail. Criteo tokens are 1 to 8 bytes, so preparation hashes each in a few
/// instructions. It never leaves the process (the feature map stores token bytes, and lookups are rebuilt from them on
/// load), so it may change between versions; hashed fields keep <see cref="MurmurHash3"/>, whose values ids depend on.
/// </summary>
internal static class TokenHash
{
    private const ulong P0 = 0xa0761d6478bd642f, P1 = 0xe7037ed1a0b428db, P2 = 0x8ebc6af09c88c6e3, P3 = 0x589965cc75374cc3;

    /// <summary>Two 64-bit hashes of <paramref name="token"/> from independent mixes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong H1, ulong H2) Hash128(ReadOnlySpan<byte> token, uint seed)
    {
        (ulong a, ulong b) = Words(token, out ulong state);
        state ^= seed * P0;
        return (Mix(a ^ P1, b ^ state), Mix(a ^ P3 ^ state, b ^ P1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash64(ReadOnlySpan<byte> token, uint seed)
    {
        (ulong a, ulong b) = Words(token, out ulong state);
        return Mix(a ^ P1, b ^ state ^ (seed * P0));
    }

    /// <summary>The token's bytes folded into two words; <paramref name="state"/> carries its length and any bytes past 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong A, ulong B) Words(ReadOnlySpan<byte> token, out ulong state)
    {
        int length = token.Length;
        state = (ulong)length * P2;
        if (length >= 8)
        {
            if (length > 16)
            {
                state = Fold(token[..^16], state);
                token = token[^16..];
            }

            return (BinaryPrimitives.ReadUInt64LittleEndian(token), BinaryPrimitives.ReadUInt64LittleEndian(token[^8..]));
        }

        if (length >= 4)
        {
            return (BinaryPrimitives.ReadUInt32LittleEndian(token), BinaryPrimitives.ReadUInt32LittleEndian(token[^4..]));
        }

        return length == 0 ? (0UL, 0UL) : (((ulong)token[0] << 16) | ((ulong)token[length >> 1] << 8) | token[^1], 0UL);
    }

    /// <summary>Every 16-byte block of a long token's head into the state (its last 16 bytes are read as a short token's).</summary>
    private static ulong Fold(ReadOnlySpan<byte> head, ulong state)
    {
        for (; head.Length >= 16; head = head[16..])
        {
            state = Mix(BinaryPrimitives.ReadUInt64LittleEndian(head) ^ P1, BinaryPrimitives.ReadUInt64LittleEndian(head[8..]) ^ state);
        }

        for (; head.Length > 0; head = head[1..])
        {
            state = Mix(head[0] ^ P3, state);
        }

        return state;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return high ^ low;
    }
}
