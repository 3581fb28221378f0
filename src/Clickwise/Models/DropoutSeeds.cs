namespace Clickwise.Models;

/// <summary>Derives the dropout stream's seed from the model seed, so masks and initial weights never share a stream.</summary>
internal static class DropoutSeeds
{
    public static long For(int modelSeed) => modelSeed ^ 0x5DEECE66DL;

    /// <summary>The dropout seed of one training step: a SplitMix64-style mix of the model seed and the global step.</summary>
    public static long For(int modelSeed, long globalStep) => Mix(For(modelSeed), globalStep);

    /// <summary>The seed of one training step's sampled embedding widths (OptEmbed's supernet): a stream apart from dropout's.</summary>
    public static long ForDimensions(int modelSeed, long globalStep) => Mix(~For(modelSeed), globalStep);

    private static long Mix(long seed, long globalStep)
    {
        ulong z = (ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(globalStep + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (long)(z ^ (z >> 31));
    }
}
