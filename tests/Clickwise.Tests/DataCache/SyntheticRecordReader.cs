using System.Buffers.Text;
using Clickwise.Data;
using Clickwise.Features;

namespace Clickwise.Tests.DataCache;

/// <summary>
/// Criteo-shaped rows generated on the fly into one reused buffer (no per-row allocation, no data held in memory):
/// <c>numericFields</c> heavy-tailed counts then <c>categoricalFields</c> 8-hex-digit tokens with skewed
/// frequencies; about 5% of values are missing. Row r is a pure function of (seed, r).
/// </summary>
internal sealed class SyntheticRecordReader : IRecordReader
{
    private readonly long _rows;
    private readonly int _numericFields;
    private readonly int _cardinality;
    private readonly ulong _seed;
    private readonly byte[] _buffer;
    private long _next;

    public SyntheticRecordReader(long rows, int numericFields, int categoricalFields, int cardinality, int seed = 1)
    {
        _rows = rows;
        _numericFields = numericFields;
        _cardinality = cardinality;
        _seed = (ulong)seed;
        int fields = numericFields + categoricalFields;
        _buffer = new byte[fields * 24];
        var names = new string[fields];
        var kinds = new FieldKind[fields];
        for (int f = 0; f < fields; f++)
        {
            bool numeric = f < numericFields;
            names[f] = numeric ? $"I{f + 1}" : $"C{f - numericFields + 1}";
            kinds[f] = numeric ? FieldKind.Numeric : FieldKind.Categorical;
        }

        Schema = new DataSchema(names, kinds);
    }

    public DataSchema Schema { get; }

    public BadLineStats Stats { get; } = new();

    public bool Read(RawRecord record)
    {
        if (_next == _rows)
        {
            return false;
        }

        long row = _next++;
        int position = 0;
        for (int f = 0; f < Schema.FieldCount; f++)
        {
            ulong bits = MurmurHash3.FMix64(((ulong)row * 0x9E3779B97F4A7C15UL) ^ (_seed << 32) ^ (ulong)f);
            if ((bits & 31) == 0)
            {
                record.SetMissing(f);
                continue;
            }

            double u = (bits >> 11) * (1.0 / (1UL << 53));
            if (f < _numericFields)
            {
                long value = (long)Math.Floor(Math.Exp(u * 8)) - 2;
                Utf8Formatter.TryFormat(value, _buffer.AsSpan(position), out int written);
                record.SetNumber(f, value, _buffer, position, written);
                position += written;
            }
            else
            {
                // u³ skews the draw toward small indices: a few frequent tokens and a long rare tail.
                uint category = (uint)(u * u * u * _cardinality) * 2654435761u + (uint)f;
                Utf8Formatter.TryFormat(category, _buffer.AsSpan(position), out _, new System.Buffers.StandardFormat('x', 8));
                record.SetToken(f, _buffer, position, 8);
                position += 8;
            }
        }

        record.Label = (_next & 3) == 0 ? 1f : 0f;
        Stats.LinesRead++;
        Stats.RowsParsed++;
        return true;
    }

    public void Dispose()
    {
    }
}
