namespace Clickwise.Data.Readers;

/// <summary>Whitespace tokenising shared by the libsvm and libffm readers.</summary>
internal static class SparseLine
{
    public const string LabelReason = "label must be 0, 1 or -1";
    public const string NonFiniteValue = "non-finite feature value";

    /// <summary>
    /// The largest |value| a libsvm/libffm feature may have. A value scales its embedding row, and the products are
    /// summed over fields and multiplied again by the FM and DNN layers in float32: a value of 1e20 already
    /// saturates every probability to exactly 0 or 1 and 3e38 overflows to NaN. 1e6 is far above normalised or
    /// count features and keeps a trained model's logits finite.
    /// </summary>
    public const double MaxAbsValue = 1e6;

    public const string ValueOutOfRange = "feature value out of range (|value| > 1e6)";

    /// <summary>Next space/tab separated token at or after <paramref name="pos"/>; false when none is left.</summary>
    public static bool NextToken(ReadOnlySpan<byte> line, ref int pos, out int start, out int length)
    {
        while (pos < line.Length && (line[pos] == (byte)' ' || line[pos] == (byte)'\t'))
        {
            pos++;
        }

        start = pos;
        if (pos == line.Length)
        {
            length = 0;
            return false;
        }

        int rel = line[pos..].IndexOfAny((byte)' ', (byte)'\t');
        length = rel < 0 ? line.Length - pos : rel;
        pos += length;
        return true;
    }

    /// <summary>Parses a feature value; null when good, else the reason.</summary>
    public static string? ParseValue(ReadOnlySpan<byte> text, string badFeature, out float value)
    {
        value = 0;
        if (!Utf8Number.TryParse(text, out double v))
        {
            return badFeature;
        }

        if (!double.IsFinite(v))
        {
            return NonFiniteValue;
        }

        value = (float)v;
        return Math.Abs(v) <= MaxAbsValue ? null : ValueOutOfRange;
    }

    /// <summary>The inferred field count of libsvm (features on the first data line) or libffm (largest field + 1) from sample lines.</summary>
    public static int InferFieldCount(ReadOnlySpan<byte> sample, bool fieldAware, int maxLines)
    {
        int best = 0;
        int lines = 0;
        foreach (Range range in sample.Split((byte)'\n'))
        {
            ReadOnlySpan<byte> line = sample[range].TrimEnd((byte)'\r');
            if (line.IsEmpty || lines++ >= maxLines)
            {
                continue;
            }

            int pos = 0;
            int count = -1;
            while (NextToken(line, ref pos, out int start, out int length))
            {
                if (++count == 0)
                {
                    // A header line says nothing about the row width; the reader reports it as a bad line.
                    if (!Utf8Number.TryParseLabel(line.Slice(start, length), signed: true, out _))
                    {
                        break;
                    }

                    continue;
                }

                if (!fieldAware)
                {
                    continue;
                }

                ReadOnlySpan<byte> token = line.Slice(start, length);
                int colon = token.IndexOf((byte)':');
                int field = colon > 0 ? Utf8Number.ParseSmallIndex(token[..colon]) : -1;
                best = Math.Max(best, field + 1);
            }

            if (!fieldAware && count > 0)
            {
                return count;
            }
        }

        return best;
    }
}
