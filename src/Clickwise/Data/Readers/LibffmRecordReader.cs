namespace Clickwise.Data.Readers;

/// <summary>
/// libffm <c>label field:idx:val …</c>: the token of field <c>field</c> is the index text, its value scales the
/// embedding; fields absent from a row are missing, and a field named more than once is multi-hot (its features are
/// pooled, see <see cref="RawRecord.AddToken"/>). A field at or past the declared count is a bad line.
/// </summary>
internal sealed class LibffmRecordReader : TextRecordReader
{
    private const string BadFeature = "bad feature (expected field:idx:value)";

    private readonly int _fieldCount;
    private readonly string _outOfRange;

    public LibffmRecordReader(LineReader lines, string source, int fieldCount, ReaderOptions options)
        : base(lines, source, LibsvmRecordReader.PositionalSchema(fieldCount, source), options)
    {
        _fieldCount = fieldCount;
        _outOfRange = $"field out of range (declared {fieldCount} fields)";
    }

    protected override string? ParseLine(RawRecord record)
    {
        ReadOnlySpan<byte> line = Lines.Line;
        byte[] buffer = Lines.Buffer;
        int offset = Lines.LineStart;
        int pos = 0;
        if (!SparseLine.NextToken(line, ref pos, out int start, out int length))
        {
            return "empty line";
        }

        ReadOnlySpan<byte> labelText = line.Slice(start, length);
        if (!Utf8Number.TryParseLabel(labelText, signed: true, out float label))
        {
            return IsHeaderCell(labelText) ? HeaderNotExpected : SparseLine.LabelReason;
        }

        record.Label = label;
        for (int f = 0; f < _fieldCount; f++)
        {
            record.SetMissing(f);
        }

        while (SparseLine.NextToken(line, ref pos, out start, out length))
        {
            ReadOnlySpan<byte> token = line.Slice(start, length);
            int first = token.IndexOf((byte)':');
            int second = first < 0 ? -1 : token[(first + 1)..].IndexOf((byte)':');
            if (first <= 0 || second <= 0)
            {
                return BadFeature;
            }

            second += first + 1;
            if (!Utf8Number.IsDigits(token[..first]) || !Utf8Number.IsDigits(token[(first + 1)..second]))
            {
                return BadFeature;
            }

            string? problem = SparseLine.ParseValue(token[(second + 1)..], BadFeature, out float value);
            if (problem is not null)
            {
                return problem;
            }

            int field = Utf8Number.ParseSmallIndex(token[..first]);
            if (field < 0 || field >= _fieldCount)
            {
                return _outOfRange;
            }

            record.AddToken(field, buffer, offset + start + first + 1, second - first - 1, value);
        }

        return null;
    }
}
