namespace Clickwise.Data;

/// <summary>
/// One parsed input row before feature encoding: a label and, per field, either a raw UTF-8 token
/// (categorical) or a parsed finite number (numeric), plus a value that scales the feature's embedding
/// (libsvm/libffm <c>idx:val</c>; 1 for plain categorical data). A multi-hot field (libsvm/libffm naming one field
/// more than once) keeps its first feature like any field and the others as extra features, chained per field in
/// line order (<see cref="FirstExtra"/>, <see cref="NextExtra"/>). Token bytes are slices of the reader's
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
    private readonly int[] _firstExtra;
    private readonly int[] _lastExtra;
    private readonly int[] _extraCounts;
    private byte[]?[] _extraBuffers = [];
    private int[] _extraStarts = [];
    private int[] _extraLengths = [];
    private float[] _extraValues = [];
    private int[] _nextExtra = [];
    private int _extraCount;

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
        _firstExtra = new int[fieldCount];
        _lastExtra = new int[fieldCount];
        _extraCounts = new int[fieldCount];
        _firstExtra.AsSpan().Fill(-1);
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

    /// <summary>The array a field's token bytes are a slice of (null when missing), and where in it they start.</summary>
    internal (byte[]? Buffer, int Start) TokenSource(int field) => (_buffers[field], _starts[field]);

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

    /// <summary>Whether any field holds more than one feature.</summary>
    public bool HasExtras => _extraCount > 0;

    /// <summary>Features of <paramref name="field"/>: 0 when missing, 1 plus its extra features otherwise.</summary>
    public int FeatureCount(int field) => _missing[field] ? 0 : 1 + _extraCounts[field];

    /// <summary>The field's second feature (an index for <see cref="ExtraToken"/>), or -1.</summary>
    public int FirstExtra(int field) => _firstExtra[field];

    /// <summary>The feature after <paramref name="extra"/> in the same field, or -1.</summary>
    public int NextExtra(int extra) => _nextExtra[extra];

    public ReadOnlySpan<byte> ExtraToken(int extra) => _extraBuffers[extra].AsSpan(_extraStarts[extra], _extraLengths[extra]);

    public float ExtraValue(int extra) => _extraValues[extra];

    /// <summary>A categorical feature of <paramref name="field"/>: its token when the field has none yet, else one more feature of it.</summary>
    public void AddToken(int field, byte[] buffer, int start, int length, float value)
    {
        if (_missing[field])
        {
            SetToken(field, buffer, start, length, value);
            return;
        }

        if (_extraCount == _nextExtra.Length)
        {
            int capacity = Math.Max(8, 2 * _extraCount);
            Array.Resize(ref _extraBuffers, capacity);
            Array.Resize(ref _extraStarts, capacity);
            Array.Resize(ref _extraLengths, capacity);
            Array.Resize(ref _extraValues, capacity);
            Array.Resize(ref _nextExtra, capacity);
        }

        int extra = _extraCount++;
        (_extraBuffers[extra], _extraStarts[extra], _extraLengths[extra]) = (buffer, start, length);
        (_extraValues[extra], _nextExtra[extra]) = (value, -1);
        if (_firstExtra[field] < 0)
        {
            _firstExtra[field] = extra;
        }
        else
        {
            _nextExtra[_lastExtra[field]] = extra;
        }

        _lastExtra[field] = extra;
        _extraCounts[field]++;
    }

    /// <summary>Drops every extra feature; readers call it before parsing a line.</summary>
    public void ClearExtras()
    {
        if (_extraCount == 0)
        {
            return;
        }

        _firstExtra.AsSpan().Fill(-1);
        _extraCounts.AsSpan().Clear();
        _extraBuffers.AsSpan(0, _extraCount).Clear();
        _extraCount = 0;
    }

    public void SetMissing(int field)
    {
        _buffers[field] = null;
        _lengths[field] = 0;
        _values[field] = 1f;
        _missing[field] = true;
    }
}
