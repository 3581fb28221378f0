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

    /// <summary>
    /// The inferred field count of libsvm (features on the first data line) or libffm (largest field + 1) from sample
    /// lines. A libffm field count is refused when more fields below the largest never occur than occur: a typo such as field
    /// 99 in 18-field data would otherwise make a 100-field model; <paramref name="gap"/> then names the line, the field and
    /// how many fields are missing, and the widest count without such a gap.
    /// </summary>
    public static int InferFieldCount(ReadOnlySpan<byte> sample, bool fieldAware, int maxLines, out (long Line, int Field, int Missing, int Dense)? gap)
    {
        gap = null;
        int best = 0;
        long bestLine = 0;
        var seen = new HashSet<int>();
        int lines = 0;
        long lineNumber = 0;
        foreach (Range range in sample.Split((byte)'\n'))
        {
            lineNumber++;
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
                if (field >= 0 && seen.Add(field) && field + 1 > best)
                {
                    best = field + 1;
                    bestLine = lineNumber;
                }
            }

            if (!fieldAware && count > 0)
            {
                return count;
            }
        }

        // Files numbered from 1 never name field 0, and a rare field may miss the sample; a largest field with more
        // fields missing below it than present is a typo, not the data's width.
        int Missing(int fields, int present) => fields - present - (seen.Contains(0) ? 0 : 1);
        if (Missing(best, seen.Count) > seen.Count)
        {
            // The widest count without that typo's gap, for a lenient run that skips the lines past it.
            int[] sorted = [.. seen.Order()];
            int dense = Enumerable.Range(0, sorted.Length).Where(i => Missing(sorted[i] + 1, i + 1) <= i + 1).Select(i => sorted[i] + 1).DefaultIfEmpty(1).Max();
            gap = (bestLine, best - 1, Missing(best, seen.Count), dense);
        }

        return best;
    }
}
