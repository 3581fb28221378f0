using System.Globalization;

namespace Clickwise.Cli;

/// <summary>Sizes typed on the command line: a number of bytes with an optional binary unit (KB, MB, GB, TB; the B optional).</summary>
internal static class ByteSize
{
    private static readonly (string Unit, long Bytes)[] Units = [("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10)];

    /// <summary>The bytes <paramref name="text"/> names, e.g. <c>256MB</c> or <c>1.5G</c>; a <see cref="UsageException"/> naming <paramref name="option"/> otherwise.</summary>
    public static long Parse(string text, string option)
    {
        string number = text.Trim();
        if (number.EndsWith('B') || number.EndsWith('b'))
        {
            number = number[..^1];
        }

        long scale = 1;
        foreach ((string unit, long bytes) in Units)
        {
            if (number.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
            {
                number = number[..^1];
                scale = bytes;
                break;
            }
        }

        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value * scale is >= 1 and < long.MaxValue
            ? (long)(value * scale)
            : throw new UsageException($"{option} must be a size such as 256MB or 2GB, got '{text}'");
    }
}
