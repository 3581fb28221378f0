using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Clickwise.Features;

/// <summary>
/// MurmurHash3 (Austin Appleby, public domain), the stable feature hash: the same bytes and seed give the same
/// value on every machine, run and .NET version (unlike <see cref="string.GetHashCode()"/>). Little-endian block
/// reads, as the reference implementation does on x86; tests pin the published vectors.
/// </summary>
public static class MurmurHash3
{
    /// <summary>MurmurHash3_x86_32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Hash32(ReadOnlySpan<byte> data, uint seed = 0)
    {
        const uint C1 = 0xcc9e2d51, C2 = 0x1b873593;
        uint h = seed;
        int blocks = data.Length >> 2;
        for (int i = 0; i < blocks; i++)
        {
            uint k = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i << 2, 4));
            k *= C1;
            k = BitOperations.RotateLeft(k, 15);
            k *= C2;
            h ^= k;
            h = BitOperations.RotateLeft(h, 13);
            h = (h * 5) + 0xe6546b64;
        }

        ReadOnlySpan<byte> tail = data[(blocks << 2)..];
        if (tail.Length > 0)
        {
            uint k = 0;
            for (int j = tail.Length - 1; j >= 0; j--)
            {
                k = (k << 8) | tail[j];
            }

            k *= C1;
            k = BitOperations.RotateLeft(k, 15);
            k *= C2;
            h ^= k;
        }

        h ^= (uint)data.Length;
        return FMix32(h);
    }

    /// <summary>MurmurHash3_x64_128: returns both 64-bit halves (h1 is the first 8 bytes of the reference digest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (ulong H1, ulong H2) Hash128(ReadOnlySpan<byte> data, uint seed = 0)
    {
        const ulong C1 = 0x87c37b91114253d5, C2 = 0x4cf5ad432745937f;
        ulong h1 = seed, h2 = seed;
        int blocks = data.Length >> 4;
        for (int i = 0; i < blocks; i++)
        {
            ulong k1 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i << 4, 8));
            ulong k2 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice((i << 4) + 8, 8));
            h1 ^= MixK1(k1);
            h1 = BitOperations.RotateLeft(h1, 27);
            h1 += h2;
            h1 = (h1 * 5) + 0x52dce729;
            h2 ^= MixK2(k2);
            h2 = BitOperations.RotateLeft(h2, 31);
            h2 += h1;
            h2 = (h2 * 5) + 0x38495ab5;
        }

        ReadOnlySpan<byte> tail = data[(blocks << 4)..];
        if (tail.Length > 8)
        {
            h2 ^= MixK2(ReadPartial(tail[8..]));
        }

        if (tail.Length > 0)
        {
            h1 ^= MixK1(ReadPartial(tail[..Math.Min(8, tail.Length)]));
        }

        h1 ^= (ulong)data.Length;
        h2 ^= (ulong)data.Length;
        h1 += h2;
        h2 += h1;
        h1 = FMix64(h1);
        h2 = FMix64(h2);
        h1 += h2;
        h2 += h1;
        return (h1, h2);

        static ulong MixK1(ulong k) => BitOperations.RotateLeft(k * C1, 31) * C2;

        static ulong MixK2(ulong k) => BitOperations.RotateLeft(k * C2, 33) * C1;
    }

    /// <summary>The 64-bit feature hash: the first half (h1) of MurmurHash3_x64_128.</summary>
    public static ulong Hash64(ReadOnlySpan<byte> data, uint seed = 0) => Hash128(data, seed).H1;

    /// <summary>The 64-bit finaliser, also used to derive well-mixed values from integers (row index → split).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FMix64(ulong k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccd;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53;
        k ^= k >> 33;
        return k;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint FMix32(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }

    private static ulong ReadPartial(ReadOnlySpan<byte> bytes)
    {
        ulong k = 0;
        for (int j = bytes.Length - 1; j >= 0; j--)
        {
            k = (k << 8) | bytes[j];
        }

        return k;
    }
}
