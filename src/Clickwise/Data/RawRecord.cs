namespace Clickwise.Data;

/// <summary>
/// One parsed input row before feature encoding: a label and, per field, either a raw UTF-8 token
/// (categorical) or a parsed finite number (numeric), plus a value that scales the feature's embedding
/// (libsvm/libffm <c>idx:val</c>; 1 for plain categorical data). Token bytes are slices of the reader's
/// buffer and are valid only until the reader's next <see cref="IRecordReader.Read"/>.
/// </summary>
public sealed class RawRecord
{
    private readonly byte[]?[] _buffers;
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private readonly double[] _numbers;
    private readonly float[] _values;
    private readonly bool[] _missing;

    public RawRecord(int fieldCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fieldCount, 1);
        FieldCount = fieldCount;
        _buffers = new byte[fieldCount][];
        _starts = new int[fieldCount];
        _lengths = new int[fieldCount];
        _numbers = new double[fieldCount];
        _values = new float[fieldCount];
        _missing = new bool[fieldCount];
    }

    public int FieldCount { get; }

    /// <summary>0 or 1.</summary>
    public float Label { get; set; }

    /// <summary>1-based line number in <see cref="Source"/>, for error messages.</summary>
    public long LineNumber { get; set; }

    /// <summary>
    /// 1-based position among the data lines read so far, skipped ones included (header excluded): where this record's
    /// output goes when every input line gets one output line.
    /// </summary>
    public long Ordinal { get; set; }

    /// <summary>The file (or "-" for stdin) the row came from.</summary>
    public string Source { get; set; } = "";

    /// <summary>The text of the reader's id column (<see cref="Readers.ReaderOptions.IdColumn"/>); null without one.</summary>
    public string? Id { get; set; }

    /// <summary>
    /// With an id column: the ids of the lines skipped as bad since the consumer last cleared this list, in line order
    /// (null where a bad line's id could not be read), so every input line's id reaches the output.
    /// </summary>
    public List<string?> SkippedIds { get; } = [];

    public bool IsMissing(int field) => _missing[field];

    /// <summary>Raw token bytes of a categorical field (empty when missing).</summary>
    public ReadOnlySpan<byte> Token(int field) =>
        _missing[field] || _buffers[field] is null ? default : _buffers[field].AsSpan(_starts[field], _lengths[field]);

    /// <summary>The parsed value of a numeric field (always finite; check <see cref="IsMissing"/> first).</summary>
    public double Number(int field) => _numbers[field];

    /// <summary>The factor that scales this field's embedding (1 unless the format carries values).</summary>
    public float Value(int field) => _values[field];

    public void SetToken(int field, byte[] buffer, int start, int length, float value = 1f)
    {
        _buffers[field] = buffer;
        _starts[field] = start;
        _lengths[field] = length;
        _values[field] = value;
        _missing[field] = length == 0;
    }

    /// <summary>A numeric field; its text, <paramref name="length"/> bytes of <paramref name="buffer"/> from <paramref name="start"/>, is kept as its token for error messages and hashing.</summary>
    public void SetNumber(int field, double number, byte[] buffer, int start, int length)
    {
        _buffers[field] = buffer;
        _starts[field] = start;
        _lengths[field] = length;
        _numbers[field] = number;
        _values[field] = 1f;
        _missing[field] = false;
    }

    public void SetMissing(int field)
    {
        _buffers[field] = null;
        _lengths[field] = 0;
        _values[field] = 1f;
        _missing[field] = true;
    }
}
