using System.Numerics;
using System.Runtime.CompilerServices;

namespace Clickwise.Data.Synthetic;

/// <summary>
/// xoshiro256** (Blackman and Vigna 2018): a small, fast generator whose whole state is four words, so every
/// 64k-row chunk can own one seeded from (seed, chunk index) and chunks can run on any thread in any order.
/// Seeded through SplitMix64, as its authors recommend.
/// </summary>
internal struct Xoshiro256
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    /// <summary>An independent stream for (seed, stream), e.g. one per chunk.</summary>
    public static Xoshiro256 ForStream(ulong seed, ulong stream)
    {
        ulong x = Mix.SplitMix(seed) ^ Mix.SplitMix(stream + 0x632BE59BD9B4E019UL);
        var rng = default(Xoshiro256);
        rng._s0 = Mix.SplitMix(x += 0x9E3779B97F4A7C15UL);
        rng._s1 = Mix.SplitMix(x += 0x9E3779B97F4A7C15UL);
        rng._s2 = Mix.SplitMix(x += 0x9E3779B97F4A7C15UL);
        rng._s3 = Mix.SplitMix(x + 0x9E3779B97F4A7C15UL);
        return rng;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal by Box-Muller; the pair's second value is kept for the next call.</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }

        double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - NextDouble()));
        (double sin, double cos) = Math.SinCos(2.0 * Math.PI * NextDouble());
        _spareGaussian = radius * sin;
        _hasSpare = true;
        return radius * cos;
    }
}
