namespace Clickwise.Data.Synthetic;

/// <summary>Formats drawn rows as the profile's text (Criteo TSV or Avazu CSV), byte by byte.</summary>
internal sealed class RowTextWriter
{
    /// <summary>An upper bound on one row's bytes: 20 digits or 8 hex per column plus separators.</summary>
    private readonly int _maxRowBytes;
    private readonly TextLayout _layout;
    private readonly SyntheticField[] _fields;
    private readonly CategoryText?[] _categories;

    public RowTextWriter(SyntheticProfile profile)
    {
        _layout = profile.Layout;
        _fields = profile.Fields.ToArray();
        _categories = _fields
            .Select((f, i) => f.Kind == SyntheticFieldKind.Categorical ? new CategoryText(f, i) : null)
            .ToArray();
        int longestHead = _fields.SelectMany(f => f.Head).Select(t => t.Length).DefaultIfEmpty(0).Max();
        _maxRowBytes = 64 + (_fields.Length + 2) * (Math.Max(21, longestHead) + 1);
    }

    public void WriteHeader(Utf8Buffer buffer)
    {
        if (_layout.Header is { } header)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(header);
            buffer.Reserve(bytes.Length + 1);
            buffer.Append(bytes);
            buffer.Append((byte)'\n');
        }
    }

    public void WriteRow(Utf8Buffer buffer, SyntheticRow row, bool positive)
    {
        buffer.Reserve(_maxRowBytes);
        byte separator = _layout.Separator;
        if (_layout.LeadingRowId)
        {
            buffer.Append(row.RowId);
            buffer.Append(separator);
        }

        buffer.Append((byte)(positive ? '1' : '0'));
        long[] values = row.Values;
        for (int f = 0; f < _fields.Length; f++)
        {
            buffer.Append(separator);
            long value = values[f];
            if (value == SyntheticRow.Missing)
            {
                continue;
            }

            switch (_fields[f].Kind)
            {
                case SyntheticFieldKind.Categorical:
                    _categories[f]!.Write(buffer, value);
                    break;
                case SyntheticFieldKind.Count:
                    buffer.Append(value);
                    break;
                default:
                    WriteHour(buffer, value);
                    break;
            }
        }

        buffer.Append((byte)'\n');
    }

    /// <summary>YYMMDDHH for hours since 2014-10-21 00:00 (the ten days stay inside October).</summary>
    private static void WriteHour(Utf8Buffer buffer, long hours)
    {
        buffer.Append("1410"u8);
        buffer.AppendTwoDigits(21 + (int)(hours / 24));
        buffer.AppendTwoDigits((int)(hours % 24));
    }
}
