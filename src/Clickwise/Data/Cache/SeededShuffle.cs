namespace Clickwise.Data.Cache;

/// <summary>
/// Fisher–Yates driven by SplitMix64: a permutation that depends only on the seed, pinned here rather than on
/// <see cref="Random"/>'s algorithm so a seed means the same order in every .NET version.
/// </summary>
internal static class SeededShuffle
{
    public static void Shuffle(Span<int> items, int seed) => Shuffle<int>(items, seed);

    public static void Shuffle(Span<long> items, int seed) => Shuffle<long>(items, seed);

    private static void Shuffle<T>(Span<T> items, int seed)
    {
        ulong state = (uint)seed * 0xD1B54A32D192ED03UL + 0x9E3779B97F4A7C15UL;
        for (int i = items.Length - 1; i > 0; i--)
        {
            // Lemire's multiply-shift maps 64 random bits onto 0..i without a modulo; the bias is < 2⁻³².
            ulong bits = Next(ref state);
            int j = (int)(((bits >> 32) * (ulong)(i + 1)) >> 32);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
