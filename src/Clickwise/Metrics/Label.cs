using System.Runtime.CompilerServices;

namespace Clickwise.Metrics;

/// <summary>Labels are 0 or 1 as floats (the <see cref="Data.Batch"/> layout); anything else is a caller bug.</summary>
internal static class Label
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsPositive(float label)
    {
        if (label == 1f)
        {
            return true;
        }

        if (label != 0f)
        {
            Throw(label);
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(float label) =>
        throw new ArgumentException($"a label must be 0 or 1, got {label}", "labels");

    public static void CheckLengths(int scores, int labels)
    {
        if (scores != labels)
        {
            throw new ArgumentException($"scores ({scores}) and labels ({labels}) differ in length");
        }
    }
}
