using System.Globalization;
using System.Text;

namespace Clickwise.Data.Readers;

/// <summary>Number and label parsing over raw UTF-8 field bytes, with a fast path for the plain decimals CTR logs hold.</summary>
internal static class Utf8Number
{
    private const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    private static readonly double[] PowersOfTen =
        [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>
    /// Parses <c>[+-]digits[.digits][e[+-]digits]</c>, <c>NaN</c> and <c>inf</c>/<c>Infinity</c>. Returns false
    /// for text that is not a number; a non-finite value (including overflow such as <c>1e309</c>) returns true so
    /// the caller can say "non-finite" rather than "not a number".
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        // Fast path: at most 15 significant digits and no exponent. Both the digits and 10^k are exact doubles,
        // so one division is correctly rounded (Clinger's fast path) and agrees with double.Parse.
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && (text[0] == (byte)'-' || text[0] == (byte)'+'))
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }

        int digitsStart = i;
        ulong mantissa = 0;
        while (i < text.Length)
        {
            uint d = (uint)(text[i] - '0');
            if (d > 9)
            {
                break;
            }

            mantissa = (mantissa * 10) + d;
            i++;
        }

        int intDigits = i - digitsStart;
        int fractionDigits = 0;
        if (i < text.Length && text[i] == (byte)'.')
        {
            i++;
            int fractionStart = i;
            while (i < text.Length)
            {
                uint d = (uint)(text[i] - '0');
                if (d > 9)
                {
                    break;
                }

                mantissa = (mantissa * 10) + d;
                i++;
            }

            fractionDigits = i - fractionStart;
        }

        int digits = intDigits + fractionDigits;
        if (i == text.Length && digits > 0 && digits <= 15)
        {
            double v = mantissa;
            if (fractionDigits > 0)
            {
                v /= PowersOfTen[fractionDigits];
            }

            value = negative ? -v : v;
            return true;
        }

        return TryParseSlow(text, out value);
    }

    /// <summary>A 0/1 label. With <paramref name="signed"/> (libsvm) also -1 (mapped to 0) and an explicit +1.</summary>
    public static bool TryParseLabel(ReadOnlySpan<byte> text, bool signed, out float label)
    {
        if (text.Length == 1)
        {
            uint d = (uint)(text[0] - '0');
            label = d;
            return d <= 1;
        }

        label = 0;
        if (text.IsEmpty || (!signed && (text[0] == (byte)'+' || text[0] == (byte)'-')) || !TryParse(text, out double v))
        {
            return false;
        }

        if (v == 0 || v == 1)
        {
            label = (float)v;
            return true;
        }

        return signed && v == -1;
    }

    /// <summary>True when every byte is an ASCII digit (and there is at least one).</summary>
    public static bool IsDigits(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (byte b in text)
        {
            if ((uint)(b - '0') > 9)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value of an all-digit field id, or -1 when it is not one (or is absurdly large).</summary>
    public static int ParseSmallIndex(ReadOnlySpan<byte> text)
    {
        if (text.Length is 0 or > 9 || !IsDigits(text))
        {
            return -1;
        }

        int v = 0;
        foreach (byte b in text)
        {
            v = (v * 10) + (b - '0');
        }

        return v;
    }

    private static bool TryParseSlow(ReadOnlySpan<byte> text, out double value)
    {
        if (double.TryParse(text, Style, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        // double.TryParse knows "Infinity" but not the short spellings other tools write.
        ReadOnlySpan<byte> body = text.Length > 0 && (text[0] == (byte)'-' || text[0] == (byte)'+') ? text[1..] : text;
        if (body.Length == 3 && Ascii.EqualsIgnoreCase(body, "inf"u8))
        {
            value = text[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        return false;
    }
}
