namespace Clickwise.Data.Readers;

/// <summary>RFC 4180 quoting over a line buffer: check a record is complete, then cut fields and unescape in place.</summary>
internal static class CsvQuoting
{
    public const string BadQuoting = "bad quoting";
    public const string Unterminated = "unterminated quoted field";

    /// <summary>
    /// Makes the current record complete, extending it over physical lines while a quoted field is open, up to the
    /// line-length limit. Returns a bad-line reason, or null with the record's column count. A quote still open at
    /// the end of input or at the limit makes the line it opened on the bad line, and reading goes on after it.
    /// </summary>
    public static string? CompleteRecord(LineReader lines, byte delimiter, out int columns)
    {
        while (true)
        {
            QuoteState state = Scan(lines.Line, delimiter, out columns, out int openQuote);
            if (state == QuoteState.Complete)
            {
                return null;
            }

            if (state == QuoteState.Malformed)
            {
                return BadQuoting;
            }

            LineStatus more = lines.Extend();
            if (more != LineStatus.Line)
            {
                lines.ResumeAfterLineOf(openQuote);
                return more == LineStatus.TooLong ? OpenPastLimit(lines.MaxLineBytes) : Unterminated;
            }
        }
    }

    /// <summary>The reason for a quoted field still open when its record reaches the line-length limit.</summary>
    public static string OpenPastLimit(int maxLineBytes) => $"{Unterminated} (still open after {maxLineBytes} bytes)";

    /// <summary>
    /// Cuts the field at <paramref name="pos"/> (a complete record ends at <paramref name="end"/>); a quoted field
    /// is unescaped in place, which only ever shortens it. Returns where the next field starts.
    /// </summary>
    public static int NextField(byte[] buffer, int pos, int end, byte delimiter, out int fieldStart, out int fieldLength)
    {
        fieldStart = pos;
        if (pos < end && buffer[pos] == (byte)'"')
        {
            int read = pos + 1;
            int write = pos;
            while (true)
            {
                byte b = buffer[read];
                if (b == (byte)'"')
                {
                    if (read + 1 < end && buffer[read + 1] == (byte)'"')
                    {
                        buffer[write++] = b;
                        read += 2;
                        continue;
                    }

                    break;
                }

                buffer[write++] = b;
                read++;
            }

            fieldLength = write - pos;
            return read + 2;
        }

        int rel = buffer.AsSpan(pos, end - pos).IndexOf(delimiter);
        fieldLength = rel < 0 ? end - pos : rel;
        return pos + fieldLength + 1;
    }

    /// <param name="openQuote">Where the quote that is still open sits, when the state is <see cref="QuoteState.Open"/>.</param>
    private static QuoteState Scan(ReadOnlySpan<byte> line, byte delimiter, out int columns, out int openQuote)
    {
        columns = 1;
        openQuote = -1;
        int i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == (byte)'"')
            {
                openQuote = i;
                i++;
                while (true)
                {
                    int q = line[i..].IndexOf((byte)'"');
                    if (q < 0)
                    {
                        return QuoteState.Open;
                    }

                    i += q + 1;
                    if (i < line.Length && line[i] == (byte)'"')
                    {
                        i++;
                        continue;
                    }

                    break;
                }

                if (i == line.Length)
                {
                    return QuoteState.Complete;
                }

                if (line[i] != delimiter)
                {
                    return QuoteState.Malformed;
                }

                i++;
                columns++;
                continue;
            }

            int rel = line[i..].IndexOfAny(delimiter, (byte)'"');
            if (rel < 0)
            {
                return QuoteState.Complete;
            }

            i += rel;
            if (line[i] == (byte)'"')
            {
                return QuoteState.Malformed;
            }

            i++;
            columns++;
        }
    }

    private enum QuoteState
    {
        Complete,
        Open,
        Malformed,
    }
}
