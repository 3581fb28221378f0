namespace Clickwise.Layers;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its seed on every platform and runtime version
/// (unlike <see cref="Random"/>, whose algorithm is an implementation detail). Used for initialisation and
/// dropout masks so that the same seed gives the same model.
/// </summary>
public sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(long seed) => _state = unchecked((ulong)seed);

    public void Reset(long seed) => _state = unchecked((ulong)seed);

    /// <summary>The whole generator state: saving and restoring it resumes the exact sequence (checkpoints).</summary>
    public ulong State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>The golden-ratio increment added to the state before each draw.</summary>
    internal const ulong Increment = 0x9E3779B97F4A7C15UL;

    public ulong NextUInt64() => Mix(unchecked(_state += Increment));

    /// <summary>
    /// The draw <paramref name="index"/> (0-based) after <paramref name="state"/>, without drawing the ones before:
    /// SplitMix64 is a counter hashed, so a long stream can be filled in parallel pieces.
    /// </summary>
    public static ulong DrawAt(ulong state, long index) => Mix(unchecked(state + Increment * (ulong)(index + 1)));

    /// <summary>Advances the state past <paramref name="count"/> draws, as if they had been drawn.</summary>
    public void Skip(long count) => _state = unchecked(_state + Increment * (ulong)count);

    /// <summary>SplitMix64's output function (Steele, Lea and Flood 2014).</summary>
    internal static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits: enough for a dropout decision, cheaper than a double.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Standard normal by Box–Muller (one draw per call; the twin is discarded for simplicity).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: keeps the log finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public void FillNormal(Span<float> values, double std)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(std * NextNormal());
        }
    }

    public void FillUniform(Span<float> values, double bound)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)NextUniform(-bound, bound);
        }
    }
}
