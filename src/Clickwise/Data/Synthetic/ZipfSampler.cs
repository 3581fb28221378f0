using System.Runtime.CompilerServices;

namespace Clickwise.Data.Synthetic;

/// <summary>
/// Draws 0-based ranks k in [0, N) with P(k) ∝ (k + 1)^-s in O(1) and O(min(N, 16384)) memory: an alias table
/// (Walker 1977, Vose's construction) over the head ranks plus one "tail" outcome, and for the tail the
/// inverse CDF of the continuous power law on [H + ½, N + ½] rounded to the nearest rank (the midpoint rule
/// makes its mass per rank ≈ (k + 1)^-s, so head and tail join smoothly). A draw costs one 64-bit random
/// number, plus one more and a <see cref="Math.Pow(double, double)"/> when it lands in the tail.
/// </summary>
internal sealed class ZipfSampler
{
    public const int MaxHead = 1 << 14;

    private readonly uint[] _threshold;
    private readonly int[] _alias;
    private readonly int _head;
    private readonly long _cardinality;
    private readonly double _oneMinusS;
    private readonly double _tailStart;
    private readonly double _tailSpan;
    private readonly double _total;
    private readonly double _tailMass;

    public ZipfSampler(long cardinality, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cardinality, 1);
        if (!(exponent > 0) || exponent == 1)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "the Zipf exponent must be positive and not 1");
        }

        _cardinality = cardinality;
        _head = (int)Math.Min(cardinality, MaxHead);
        _oneMinusS = 1 - exponent;
        _tailStart = Math.Pow(_head + 0.5, _oneMinusS);
        _tailSpan = Math.Pow(cardinality + 0.5, _oneMinusS) - _tailStart;
        _tailMass = cardinality > _head ? _tailSpan / _oneMinusS : 0;

        int outcomes = cardinality > _head ? _head + 1 : _head;
        var weights = new double[outcomes];
        double total = 0;
        for (int k = 0; k < _head; k++)
        {
            weights[k] = Math.Pow(k + 1, -exponent);
            total += weights[k];
        }

        if (outcomes > _head)
        {
            weights[_head] = _tailMass;
            total += _tailMass;
        }

        _total = total;
        (_threshold, _alias) = BuildAlias(weights, total);
    }

    public long Cardinality => _cardinality;

    /// <summary>P(rank) as the sampler draws it (head exact; tail ranks as the rounded power law).</summary>
    public double Probability(long rank)
    {
        if (rank < _head)
        {
            return Math.Pow(rank + 1, _oneMinusS - 1) / _total;
        }

        double lower = Math.Max(rank + 0.5, _head + 0.5);
        double upper = Math.Min(rank + 1.5, _cardinality + 0.5);
        return (Math.Pow(upper, _oneMinusS) - Math.Pow(lower, _oneMinusS)) / _oneMinusS / _total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Sample(ref Xoshiro256 rng)
    {
        ulong r = rng.NextUInt64();
        int i = (int)(((r >> 32) * (ulong)_threshold.Length) >> 32);
        int outcome = (uint)r < _threshold[i] ? i : _alias[i];
        return outcome < _head ? outcome : SampleTail(ref rng);
    }

    private long SampleTail(ref Xoshiro256 rng)
    {
        double x = Math.Pow(_tailStart + rng.NextDouble() * _tailSpan, 1 / _oneMinusS);
        long rank = (long)Math.Round(x) - 1;
        return Math.Clamp(rank, _head, _cardinality - 1);
    }

    /// <summary>Vose's alias method with 32-bit acceptance thresholds.</summary>
    private static (uint[] Threshold, int[] Alias) BuildAlias(double[] weights, double total)
    {
        int n = weights.Length;
        var scaled = new double[n];
        var threshold = new uint[n];
        var alias = new int[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < n; i++)
        {
            scaled[i] = weights[i] * n / total;
            (scaled[i] < 1 ? small : large).Push(i);
        }

        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop();
            int l = large.Pop();
            threshold[s] = ToThreshold(scaled[s]);
            alias[s] = l;
            scaled[l] -= 1 - scaled[s];
            (scaled[l] < 1 ? small : large).Push(l);
        }

        // Whatever is left has probability 1 up to rounding.
        foreach (int i in small.Concat(large))
        {
            threshold[i] = uint.MaxValue;
            alias[i] = i;
        }

        return (threshold, alias);
    }

    private static uint ToThreshold(double p) => (uint)Math.Clamp(p * 4294967296.0, 0, uint.MaxValue);
}
