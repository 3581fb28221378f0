namespace Clickwise.Models;

/// <summary>Derives the dropout stream's seed from the model seed, so masks and initial weights never share a stream.</summary>
internal static class DropoutSeeds
{
    public static long For(int modelSeed) => modelSeed ^ 0x5DEECE66DL;
}
