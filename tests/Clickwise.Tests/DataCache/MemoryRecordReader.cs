using System.Globalization;
using System.Text;
using Clickwise.Data;

namespace Clickwise.Tests.DataCache;

/// <summary>
/// A reader over rows written as strings (null = missing), for tests that need no text format: numeric fields
/// are parsed with the invariant culture, categorical fields are handed over as their UTF-8 bytes.
/// </summary>
internal sealed class MemoryRecordReader : IRecordReader
{
    private readonly IReadOnlyList<(float Label, string?[] Fields)> _rows;
    private readonly byte[][] _buffers;
    private int _next;

    public MemoryRecordReader(DataSchema schema, IReadOnlyList<(float Label, string?[] Fields)> rows)
    {
        Schema = schema;
        _rows = rows;
        _buffers = new byte[schema.FieldCount][];
    }

    public DataSchema Schema { get; }

    public BadLineStats Stats { get; } = new();

    public bool Read(RawRecord record)
    {
        if (_next == _rows.Count)
        {
            return false;
        }

        (float label, string?[] fields) = _rows[_next++];
        record.Label = label;
        record.LineNumber = _next;
        record.Source = "memory";
        for (int f = 0; f < fields.Length; f++)
        {
            string? text = fields[f];
            if (text is null)
            {
                record.SetMissing(f);
                continue;
            }

            _buffers[f] = Encoding.UTF8.GetBytes(text);
            if (Schema.Kinds[f] == FieldKind.Numeric)
            {
                record.SetNumber(f, double.Parse(text, CultureInfo.InvariantCulture), _buffers[f], 0, _buffers[f].Length);
            }
            else
            {
                record.SetToken(f, _buffers[f], 0, _buffers[f].Length);
            }
        }

        Stats.LinesRead++;
        Stats.RowsParsed++;
        return true;
    }

    public void Dispose()
    {
    }
}
