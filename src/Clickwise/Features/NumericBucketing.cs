using System.Runtime.CompilerServices;

namespace Clickwise.Features;

/// <summary>Turns a numeric value into the integer category that <see cref="NumericTransform.LogSquare"/> defines.</summary>
public static class NumericBucketing
{
    /// <summary>⌊ln(x)²⌋ for x &gt; 2, else x truncated toward zero (C#'s and Python's <c>int(x)</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long LogSquare(double x)
    {
        if (x > 2)
        {
            double ln = Math.Log(x);
            return (long)Math.Floor(ln * ln);
        }

        // Readers only hand over finite numbers; the clamp keeps a huge negative count from wrapping around.
        return x < long.MinValue ? long.MinValue : (long)x;
    }

    /// <summary>
    /// Writes the category token of a value (its decimal integer text, e.g. "-1", "21") into <paramref name="destination"/>
    /// and returns its length; 20 bytes always suffice.
    /// </summary>
    public static int FormatToken(long category, Span<byte> destination)
    {
        if (!category.TryFormat(destination, out int written, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new ArgumentException("destination too small for a category token", nameof(destination));
        }

        return written;
    }
}
