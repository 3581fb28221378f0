using System.Text;

namespace Clickwise.Data.Readers;

/// <summary>
/// The line loop shared by every text format: the strict/lenient policy, bad-line counting and the bad-ratio
/// limit. A format only says what is wrong with one line (<see cref="ParseLine"/> returns a short reason or null).
/// </summary>
internal abstract class TextRecordReader : IRecordReader
{
    protected const string HeaderNotExpected = "header found where none expected";

    private readonly string _source;
    private readonly bool _strict;
    private readonly BadLineLimit _limit;
    private long _skipped;
    private bool _ended;

    protected TextRecordReader(LineReader lines, string source, DataSchema schema, ReaderOptions options)
    {
        Lines = lines;
        _source = source;
        Schema = schema;
        _strict = options.Strict;
        _limit = new BadLineLimit(options.MaxBadRatio, options.MinLinesForRatio);
    }

    public DataSchema Schema { get; }

    public BadLineStats Stats { get; } = new();

    protected LineReader Lines { get; }

    public bool Read(RawRecord record)
    {
        if (record.FieldCount != Schema.FieldCount)
        {
            throw new ArgumentException($"record has {record.FieldCount} fields, the reader yields {Schema.FieldCount}", nameof(record));
        }

        while (!_ended)
        {
            LineStatus status = Lines.Next();
            if (status == LineStatus.End)
            {
                _ended = true;
                CheckBadRatio(atEnd: true);
                return false;
            }

            Stats.LinesRead++;
            record.ClearExtras();
            string? reason = status == LineStatus.TooLong ? Lines.TooLongReason
                : Lines.LineLength == 0 ? "empty line"
                : ParseLine(record);
            if (reason is null)
            {
                Stats.RowsParsed++;
                record.LineNumber = Lines.LineNumber;
                record.Ordinal = Stats.LinesRead;
                record.Source = _source;
                return true;
            }

            string snippet = Lines.SkippedTooLong ? Lines.TooLongSnippet : Snippet();
            var error = new DataFormatException(_source, Lines.LineNumber, reason, snippet);
            if (_strict)
            {
                throw error;
            }

            Stats.CountSkip(error);
            if (CopiesIds)
            {
                record.SkippedIds.Add(Lines.SkippedTooLong ? null : SkippedLineId());
            }

            _skipped++;
            BadLines?.Add(new BadLine(Stats.LinesRead, Lines.LineNumber));
            CheckBadRatio(atEnd: false);
        }

        return false;
    }

    /// <summary>
    /// When set, every skipped line is logged here: a chunk of a file is read by its own reader, and the bad-line limit,
    /// which holds for the whole file, is checked from these logs in file order (<see cref="BadLineLimit"/>).
    /// </summary>
    public List<BadLine>? BadLines { get; set; }

    /// <summary>Whether rows carry an id column through (<see cref="ReaderOptions.IdColumn"/>).</summary>
    protected virtual bool CopiesIds => false;

    /// <summary>The id of the current line, which did not parse; null when it cannot be read.</summary>
    protected virtual string? SkippedLineId() => null;

    /// <summary>The reason for the current line, or null when <paramref name="record"/> now holds it.</summary>
    protected abstract string? ParseLine(RawRecord record);

    /// <summary>Whether a failing cell on line 1 of a headerless file is really a column name (starts with a letter).</summary>
    protected bool IsHeaderCell(ReadOnlySpan<byte> cell) =>
        Lines.LineNumber == 1 && cell.Length > 0 && char.IsAsciiLetter((char)cell[0]);

    private string Snippet() => Encoding.UTF8.GetString(Lines.Line[..Math.Min(Lines.LineLength, 120)]);

    private void CheckBadRatio(bool atEnd)
    {
        if (!_strict)
        {
            _limit.Check(_source, atEnd ? 0 : Lines.LineNumber, _skipped, Stats.LinesRead, atEnd);
        }
    }

    public void Dispose() => Lines.Dispose();
}
