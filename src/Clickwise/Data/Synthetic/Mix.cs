using System.Runtime.CompilerServices;

namespace Clickwise.Data.Synthetic;

/// <summary>
/// Integer mixers. <see cref="SplitMix"/> is SplitMix64's finalizer (Steele, Lea and Flood 2014); every
/// teacher parameter is a hash of (seed, field, category, purpose) through it, so no parameter table needs
/// to be stored or drawn in order. <see cref="Permute32"/> is a bijection on 32-bit values (MurmurHash3's
/// fmix32 after an odd multiply and an add), so distinct ranks always get distinct 8-hex-digit tokens.
/// </summary>
internal static class Mix
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>A 64-bit hash of the teacher coordinates (seed, field, id, purpose).</summary>
    public static ulong Hash(ulong seed, int field, long id, int purpose) =>
        SplitMix(SplitMix(SplitMix(seed ^ ((ulong)purpose << 40) ^ (ulong)field) + (ulong)id));

    /// <summary>Uniform in [0, 1) from a hash.</summary>
    public static double Uniform(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal from a hash (Box-Muller over its two halves).</summary>
    public static double Gaussian(ulong hash)
    {
        double u = ((hash >> 32) + 0.5) / 4294967296.0;
        double v = (uint)hash / 4294967296.0;
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Permute32(uint x, uint salt)
    {
        x = x * 0x9E3779B1u + salt;
        x ^= x >> 16;
        x *= 0x85EBCA6Bu;
        x ^= x >> 13;
        x *= 0xC2B2AE35u;
        return x ^ (x >> 16);
    }
}
