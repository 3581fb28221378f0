namespace Clickwise.Data.Readers;

/// <summary>
/// libsvm/libFM <c>label idx:val …</c>. The field of a feature is its position in the row (one-hot data such as
/// frappe and iPinYou), and features past the last field are more features of the last field, pooled with it: with
/// one field a row is a bag of features of any length. A row needs at least one feature per field. The token is the
/// index text and the value scales its embedding. Labels 0/1 or -1/+1 (-1 becomes 0); index 0 is allowed (libFM is 0-based).
/// </summary>
internal sealed class LibsvmRecordReader : TextRecordReader
{
    private const string BadFeature = "bad feature (expected idx:value)";

    private readonly int _fieldCount;

    public LibsvmRecordReader(LineReader lines, string source, int fieldCount, ReaderOptions options)
        : base(lines, source, PositionalSchema(fieldCount, source), options)
    {
        _fieldCount = fieldCount;
    }

    public static DataSchema PositionalSchema(int fieldCount, string source) =>
        new(Enumerable.Range(0, fieldCount).Select(i => $"f{i}").ToArray(), Enumerable.Repeat(FieldKind.Categorical, fieldCount).ToArray()) { Source = source };

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
        int count = 0;
        while (SparseLine.NextToken(line, ref pos, out start, out length))
        {
            ReadOnlySpan<byte> token = line.Slice(start, length);
            int colon = token.IndexOf((byte)':');
            if (colon <= 0 || !Utf8Number.IsDigits(token[..colon]))
            {
                return BadFeature;
            }

            string? problem = SparseLine.ParseValue(token[(colon + 1)..], BadFeature, out float value);
            if (problem is not null)
            {
                return problem;
            }

            if (count < _fieldCount)
            {
                record.SetToken(count, buffer, offset + start, colon, value);
            }
            else
            {
                record.AddToken(_fieldCount - 1, buffer, offset + start, colon, value);
            }

            count++;
        }

        return count >= _fieldCount ? null : $"expected {_fieldCount} features, found {count}";
    }
}
