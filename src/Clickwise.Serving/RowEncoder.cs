using System.Text;
using System.Text.Json;
using Clickwise.Data;
using Clickwise.Data.Readers;
using Clickwise.Features;

namespace Clickwise.Serving;

/// <summary>
/// Turns a request's rows into what the compiled plan reads, with the model's own reader, feature map and numeric
/// transform — the code <c>predict</c> runs — so a raw line scores exactly as it does in a file. Rows come as raw
/// lines in the model's format, as named column values (composed into such lines, then read the same way) or as
/// global ids checked against each field's range.
/// </summary>
internal sealed class RowEncoder
{
    private readonly FeatureMap _map;
    private readonly ReaderOptions _input;
    private readonly LineShape? _shape;
    private readonly int _maxRows;

    public RowEncoder(FeatureMap map, ReaderOptions input, int maxRows)
    {
        _map = map;
        _input = input with { Strict = true, IdColumn = null };
        _shape = LineShape.Of(_input with { Labeled = false });
        _maxRows = maxRows;
    }

    public int FieldCount => _map.FieldCount;

    /// <summary>How raw lines of this model look (null: libsvm/libffm, lines without named columns).</summary>
    public LineShape? Shape => _shape;

    public DataFormat Format => _input.Format;

    /// <summary>Rows from global ids [N, F] and optional values [N, F].</summary>
    public EncodedRows FromIds(string name, IReadOnlyList<JsonElement> ids, int rows, string? valuesName, IReadOnlyList<JsonElement>? values)
    {
        CheckRows(rows);
        int f = FieldCount;
        var encoded = new EncodedRows(rows, f);
        int[] offsets = _map.Layout.Offsets;
        int[] sizes = _map.Layout.Sizes;
        for (int i = 0; i < ids.Count; i++)
        {
            long id = TensorData.Integer(ids[i], name, i);
            int field = i % f;
            if (id < offsets[field] || id >= (long)offsets[field] + sizes[field])
            {
                throw RequestException.BadRequest($"input '{name}' row {i / f} field {field} ('{_map.Fields[field].Name}'): id {id} is outside "
                    + $"the field's ids {offsets[field]}..{offsets[field] + sizes[field] - 1}");
            }

            encoded.Ids[i] = (int)id;
        }

        if (values is not null)
        {
            encoded.Values = new float[values.Count];
            for (int i = 0; i < values.Count; i++)
            {
                encoded.Values[i] = TensorData.Finite(values[i], valuesName!, i);
            }
        }

        return encoded;
    }

    /// <summary>
    /// Rows from raw lines in the model's format, one per element; <paramref name="header"/> is the column-names line
    /// of formats that read one. <paramref name="labeled"/>: the lines carry the label column.
    /// </summary>
    public EncodedRows FromLines(string name, IReadOnlyList<string> lines, bool labeled, string? header)
    {
        CheckRows(lines.Count);
        if (_shape is { HasHeader: true } && header is null)
        {
            throw RequestException.BadRequest($"the model reads {DataFormats.Name(Format)} lines under a header: give the column names line as parameters.header");
        }

        if (_shape is not { HasHeader: true } && header is not null)
        {
            throw RequestException.BadRequest($"the model reads {DataFormats.Name(Format)} lines without a header: drop parameters.header");
        }

        var text = new StringBuilder();
        if (header is not null)
        {
            AppendLine(text, header, "parameters.header");
        }

        for (int i = 0; i < lines.Count; i++)
        {
            AppendLine(text, lines[i], $"input '{name}' element {i}");
        }

        return Read(name, Encoding.UTF8.GetBytes(text.ToString()), lines.Count, labeled, header is null ? 0 : 1);
    }

    /// <summary>Rows from named column values, [N] each: composed into unlabelled lines of the model's format, then read as lines are.</summary>
    public EncodedRows FromColumns(IReadOnlyList<(string Name, IReadOnlyList<JsonElement> Values)> columns, int rows)
    {
        LineShape shape = _shape ?? throw RequestException.BadRequest(
            $"the model reads {DataFormats.Name(Format)} lines, which have no named columns: send them whole as the BYTES input 'raw'");
        CheckRows(rows);
        IReadOnlyList<string> order = shape.ColumnNames ?? [.. columns.Select(c => c.Name)];
        int[] source = new int[order.Count];
        for (int c = 0; c < order.Count; c++)
        {
            source[c] = IndexOf(columns, order[c]);
        }

        foreach ((string name, IReadOnlyList<JsonElement> values) in columns)
        {
            if (!order.Contains(name))
            {
                throw RequestException.BadRequest($"unknown input '{name}': the model's columns are {string.Join(", ", order)}");
            }

            if (values.Count != rows)
            {
                throw RequestException.BadRequest($"input '{name}' has {values.Count} rows, input '{columns[0].Name}' {rows}");
            }
        }

        var text = new StringBuilder();
        if (shape.HasHeader)
        {
            text.AppendJoin(shape.Delimiter, order).Append('\n');
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < order.Count; c++)
            {
                if (c > 0)
                {
                    text.Append(shape.Delimiter);
                }

                if (source[c] >= 0)
                {
                    AppendCell(text, shape, columns[source[c]].Name, r, columns[source[c]].Values[r]);
                }
            }

            text.Append('\n');
        }

        return Read("columns", Encoding.UTF8.GetBytes(text.ToString()), rows, labeled: false, shape.HasHeader ? 1 : 0);
    }

    private EncodedRows Read(string name, byte[] text, int rows, bool labeled, int headerLines)
    {
        int f = FieldCount;
        var encoded = new EncodedRows(rows, f) { Values = new float[rows * f], Extras = new ExtraFeatures(rows * f) };
        FeatureEncoder encoder = _map.CreateEncoder();
        var record = new RawRecord(f);
        bool weighted = false;
        int row = 0;
        try
        {
            // The whole text is in memory: a read buffer of its size, not the 64 KiB a file gets, per request.
            using IRecordReader reader = RecordReaders.Open(new MemoryStream(text), name,
                _input with { Labeled = labeled, BufferSize = Math.Clamp(text.Length, 1, _input.BufferSize) });
            _map.CheckSchema(reader.Schema);
            while (reader.Read(record))
            {
                if (row == rows)
                {
                    throw RequestException.BadRequest($"input '{name}' holds more records than elements (a line break inside a value?)");
                }

                weighted |= encoder.Encode(record, encoded.Ids.AsSpan(row * f, f), encoded.Values.AsSpan(row * f, f), encoded.Extras);
                row++;
            }
        }
        catch (DataFormatException e)
        {
            throw RequestException.BadRequest(headerLines == 0 ? e.Message : $"{e.Message} (line numbers count the header)");
        }
        catch (InvalidDataException e)
        {
            throw RequestException.BadRequest(e.Message);
        }

        if (row != rows)
        {
            throw RequestException.BadRequest($"input '{name}': {rows} elements gave {row} records (an empty line?)");
        }

        if (!weighted)
        {
            encoded.Values = null;
        }

        if (encoded.Extras.Count == 0)
        {
            encoded.Extras = null;
        }

        return encoded;
    }

    private void CheckRows(int rows)
    {
        if (rows < 1 || rows > _maxRows)
        {
            throw RequestException.BadRequest($"a request carries 1 to {_maxRows} rows, this one {rows}");
        }
    }

    private static void AppendLine(StringBuilder text, string line, string what)
    {
        if (line.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            throw RequestException.BadRequest($"{what} holds a line break: send one line per element");
        }

        text.Append(line).Append('\n');
    }

    private static void AppendCell(StringBuilder text, LineShape shape, string column, int row, JsonElement value)
    {
        string cell = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => "",
            _ => throw RequestException.BadRequest($"input '{column}' row {row}: expected a string, a number or null, got {TensorData.Describe(value)}"),
        };
        bool special = cell.AsSpan().IndexOfAny(shape.Delimiter, '\n', '\r') >= 0 || (shape.Quoted && cell.Contains('"'));
        if (!special)
        {
            text.Append(cell);
        }
        else if (shape.Quoted && cell.AsSpan().IndexOfAny('\n', '\r') < 0)
        {
            text.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            throw RequestException.BadRequest($"input '{column}' row {row}: a value holding the delimiter or a line break cannot be a cell of a {(shape.Quoted ? "" : "unquoted ")}line");
        }
    }

    private static int IndexOf(IReadOnlyList<(string Name, IReadOnlyList<JsonElement> Values)> columns, string name)
    {
        for (int i = 0; i < columns.Count; i++)
        {
            if (columns[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}
