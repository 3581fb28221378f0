using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Clickwise.Data.Readers;

/// <summary>
/// Criteo TSV, the Criteo CSV variants, Avazu, DeepLight and generic CSV: one reader over a
/// <see cref="DelimitedLayout"/>. Lines without a quote take a fast path (vectorised delimiter search, fields
/// as slices of the line buffer); quoted lines follow RFC 4180 in the formats that quote (<see cref="DelimitedSpec.Quoted"/>),
/// and every line takes the fast path in those that do not.
/// </summary>
internal sealed class DelimitedRecordReader : TextRecordReader
{
    private const string LabelReason = "label must be 0 or 1";

    private static readonly byte[] WeekdayDigits = "0123456"u8.ToArray();

    private readonly DelimitedLayout _layout;
    private readonly ColumnAction[] _actions;
    private readonly int[] _fields;
    private readonly byte _delimiter;
    private readonly bool _quoted;
    private readonly bool _labeled;
    private readonly int _idColumn;
    private readonly int[] _delimiterAt;

    private DelimitedRecordReader(LineReader lines, string source, DelimitedLayout layout, DelimitedSpec spec, ReaderOptions options, int idColumn)
        : base(lines, source, layout.Schema, options)
    {
        _idColumn = idColumn;
        _layout = layout;
        _actions = layout.Actions;
        _fields = layout.Fields;
        _delimiter = spec.Delimiter;
        _quoted = spec.Quoted;
        _labeled = spec.Labeled;
        _delimiterAt = new int[_actions.Length];
    }

    /// <summary>Reads the header (when the spec has one) and binds the columns.</summary>
    public static DelimitedRecordReader Open(LineReader lines, string source, ReaderOptions options)
    {
        DelimitedSpec spec = DelimitedSpec.From(options);
        IReadOnlyList<string> columns = spec.HasHeader ? ReadHeader(lines, source, spec) : spec.ColumnNames!;
        int idColumn = options.IdColumn is { } id ? IdColumnIndex(columns, id, source) : -1;
        return new DelimitedRecordReader(lines, source, DelimitedLayout.Create(columns, spec, source), spec, options, idColumn);
    }

    protected override bool CopiesIds => _idColumn >= 0;

    /// <summary>A bad line's id cell, split plainly (a quoted bad line's cells cannot be trusted: null).</summary>
    protected override string? SkippedLineId()
    {
        ReadOnlySpan<byte> line = Lines.Line;
        if (HasQuote(line))
        {
            return null;
        }

        for (int c = 0; c < _idColumn; c++)
        {
            int next = line.IndexOf(_delimiter);
            if (next < 0)
            {
                return null;
            }

            line = line[(next + 1)..];
        }

        int end = line.IndexOf(_delimiter);
        return Encoding.UTF8.GetString(end < 0 ? line : line[..end]);
    }

    protected override string? ParseLine(RawRecord record)
    {
        ReadOnlySpan<byte> line = Lines.Line;
        if (HasQuote(line))
        {
            return ParseQuoted(record);
        }

        int columns = FindDelimiters(line, _delimiter, _delimiterAt) + 1;
        if (columns != _actions.Length)
        {
            return WrongColumnCount(columns);
        }

        byte[] buffer = Lines.Buffer;
        int start = Lines.LineStart;
        int pos = 0;
        int last = columns - 1;
        for (int c = 0; c < columns; c++)
        {
            int length = (c == last ? line.Length : _delimiterAt[c]) - pos;
            if (c == _idColumn)
            {
                record.Id = Encoding.UTF8.GetString(buffer, start + pos, length);
            }

            if (_actions[c] != ColumnAction.Ignore)
            {
                string? error = Apply(c, buffer, start + pos, length, record);
                if (error is not null)
                {
                    return error;
                }
            }

            pos += length + 1;
        }

        if (!_labeled)
        {
            record.Label = 0;
        }

        return null;
    }

    /// <summary>
    /// Counts the delimiters of <paramref name="line"/> and writes where the first ones are into <paramref name="at"/>, in one
    /// vectorised pass: 32 bytes compared at a time, each match taken from the mask (a Criteo line is ~250 bytes and 39
    /// delimiters, where a search per column would restart its vector loop 40 times).
    /// </summary>
    private static int FindDelimiters(ReadOnlySpan<byte> line, byte delimiter, Span<int> at)
    {
        int count = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<byte> wanted = Vector256.Create(delimiter);
            ref byte first = ref MemoryMarshal.GetReference(line);
            for (; i + Vector256<byte>.Count <= line.Length; i += Vector256<byte>.Count)
            {
                uint mask = Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)i), wanted).ExtractMostSignificantBits();
                for (; mask != 0; mask &= mask - 1)
                {
                    if (count < at.Length)
                    {
                        at[count] = i + BitOperations.TrailingZeroCount(mask);
                    }

                    count++;
                }
            }
        }

        for (; i < line.Length; i++)
        {
            if (line[i] == delimiter)
            {
                if (count < at.Length)
                {
                    at[count] = i;
                }

                count++;
            }
        }

        return count;
    }

    private bool HasQuote(ReadOnlySpan<byte> line) => _quoted && line.Contains((byte)'"');

    private string? ParseQuoted(RawRecord record)
    {
        string? problem = CsvQuoting.CompleteRecord(Lines, _delimiter, out int columns);
        if (problem is not null)
        {
            return problem;
        }

        if (columns != _actions.Length)
        {
            return WrongColumnCount(columns);
        }

        byte[] buffer = Lines.Buffer;
        int end = Lines.LineStart + Lines.LineLength;
        int pos = Lines.LineStart;
        for (int c = 0; c < columns; c++)
        {
            pos = CsvQuoting.NextField(buffer, pos, end, _delimiter, out int fieldStart, out int fieldLength);
            if (c == _idColumn)
            {
                record.Id = Encoding.UTF8.GetString(buffer, fieldStart, fieldLength);
            }

            if (_actions[c] != ColumnAction.Ignore)
            {
                string? error = Apply(c, buffer, fieldStart, fieldLength, record);
                if (error is not null)
                {
                    return error;
                }
            }
        }

        if (!_labeled)
        {
            record.Label = 0;
        }

        return null;
    }

    private string? Apply(int column, byte[] buffer, int start, int length, RawRecord record)
    {
        int field = _fields[column];
        ReadOnlySpan<byte> cell = buffer.AsSpan(start, length);
        switch (_actions[column])
        {
            case ColumnAction.Label:
                if (!Utf8Number.TryParseLabel(cell, signed: false, out float label))
                {
                    return IsHeaderCell(cell) ? HeaderNotExpected : LabelReason;
                }

                record.Label = label;
                return null;

            case ColumnAction.Numeric:
                if (length == 0)
                {
                    record.SetMissing(field);
                    return null;
                }

                if (!Utf8Number.TryParse(cell, out double number))
                {
                    return IsHeaderCell(cell) ? HeaderNotExpected : _layout.NotNumber[column];
                }

                if (!double.IsFinite(number))
                {
                    return _layout.NonFinite[column];
                }

                record.SetNumber(field, number, buffer, start, length);
                return null;

            case ColumnAction.Categorical:
                if (length == 0)
                {
                    record.SetMissing(field);
                }
                else
                {
                    record.SetToken(field, buffer, start, length);
                }

                return null;

            case ColumnAction.Hour:
                if (length == 0)
                {
                    record.SetMissing(field);
                    record.SetMissing(field + 1);
                    return null;
                }

                if (!HourOfWeek.TryParse(cell, out int weekday))
                {
                    return IsHeaderCell(cell) ? HeaderNotExpected : _layout.BadHour[column];
                }

                record.SetToken(field, buffer, start + 6, 2);
                record.SetToken(field + 1, WeekdayDigits, weekday, 1);
                return null;

            default:
                return null;
        }
    }

    /// <summary>The column <paramref name="id"/> names: a column name (case-insensitive) or a 0-based index.</summary>
    private static int IdColumnIndex(IReadOnlyList<string> columns, string id, string source)
    {
        int byName = columns.ToList().FindIndex(name => string.Equals(name, id, StringComparison.OrdinalIgnoreCase));
        if (byName >= 0)
        {
            return byName;
        }

        return int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) && index < columns.Count
            ? index
            : throw new DataFormatException(source, 0, $"no id column '{id}': the columns are {string.Join(",", columns)} (0 to {columns.Count - 1} by index)");
    }

    private string WrongColumnCount(int found) => $"wrong column count: expected {_actions.Length}, found {found}";

    private static List<string> ReadHeader(LineReader lines, string source, DelimitedSpec spec)
    {
        byte delimiter = spec.Delimiter;
        LineStatus status = lines.Next();
        if (status == LineStatus.End)
        {
            throw new DataFormatException(source, 0, "empty input");
        }

        if (status == LineStatus.TooLong)
        {
            throw new DataFormatException(source, 1, "header line too long", lines.TooLongSnippet);
        }

        if (!spec.Quoted)
        {
            return [.. Encoding.UTF8.GetString(lines.Line).Split((char)delimiter)];
        }

        string? problem = CsvQuoting.CompleteRecord(lines, delimiter, out int columns);
        if (problem is not null)
        {
            throw new DataFormatException(source, lines.LineNumber, problem, Encoding.UTF8.GetString(lines.Line));
        }

        var names = new List<string>(columns);
        byte[] buffer = lines.Buffer;
        int end = lines.LineStart + lines.LineLength;
        int pos = lines.LineStart;
        for (int c = 0; c < columns; c++)
        {
            pos = CsvQuoting.NextField(buffer, pos, end, delimiter, out int fieldStart, out int fieldLength);
            names.Add(Encoding.UTF8.GetString(buffer, fieldStart, fieldLength));
        }

        return names;
    }
}
