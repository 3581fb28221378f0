using System.Text;

namespace Clickwise.Data.Readers;

/// <summary>
/// Splits a UTF-8 byte stream into lines without copying them: the current line is a slice of
/// <see cref="Buffer"/>, valid until the next call. Accepts <c>\n</c> and <c>\r\n</c>, a missing final newline
/// and a leading BOM. A line over the limit is skipped (reported as <see cref="LineStatus.TooLong"/>) instead of
/// growing the buffer without bound. Records are framed by newlines only: a format with quoting (CSV) joins lines
/// through <see cref="Extend"/>, so a <c>"</c> in a format without quoting is just a byte.
/// </summary>
internal sealed class LineReader : IDisposable
{
    private const int NoNewline = -1;
    private const int LineTooLong = -2;
    private const int SnippetBytes = 120;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _end;
    private int _lineStart;
    private int _scan;
    private int _next;
    private long _physicalLines;
    private bool _eof;
    private bool _lastEndedWithNewline = true;

    public LineReader(Stream stream, int bufferSize, int maxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[Math.Max(bufferSize, 4)];
        while (_end < 3 && !_eof)
        {
            Fill();
        }

        if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _next = 3;
        }
    }

    /// <summary>
    /// Lines of <paramref name="length"/> bytes of <paramref name="text"/>, read in place (a chunk of a file cut at a
    /// newline, <see cref="TextChunk"/>): numbered from <paramref name="linesBefore"/> + 1, with no BOM looked for,
    /// since the chunk is not the start of its file.
    /// </summary>
    public LineReader(byte[] text, int length, long linesBefore, int maxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = Stream.Null;
        _maxLineBytes = maxLineBytes;
        _buffer = text;
        _end = length;
        _eof = true;
        _physicalLines = linesBefore;
    }

    /// <summary>True when the input holds no bytes at all (after a BOM); call before the first line.</summary>
    public bool IsEmpty()
    {
        while (_next == _end && !_eof)
        {
            MakeRoom();
            Fill();
        }

        return _next == _end;
    }

    public byte[] Buffer => _buffer;

    public int LineStart { get; private set; }

    public int LineLength { get; private set; }

    /// <summary>1-based number of the physical line the current record starts on.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The start of the last skipped over-long line.</summary>
    public string TooLongSnippet { get; private set; } = "";

    /// <summary>Whether the last <see cref="Next"/> or <see cref="Extend"/> skipped an over-long line (the buffer then holds none of it).</summary>
    public bool SkippedTooLong { get; private set; }

    /// <summary>The bad-line reason for an over-long line.</summary>
    public string TooLongReason => $"line too long (over {_maxLineBytes} bytes)";

    /// <summary>The longest record, in bytes without its line ending.</summary>
    public int MaxLineBytes => _maxLineBytes;

    public ReadOnlySpan<byte> Line => _buffer.AsSpan(LineStart, LineLength);

    public LineStatus Next()
    {
        _lineStart = _next;
        _scan = _next;
        int newline = FindNewline();
        if (newline == NoNewline && _lineStart == _end)
        {
            return LineStatus.End;
        }

        _physicalLines++;
        LineNumber = _physicalLines;
        return Finish(newline);
    }

    /// <summary>
    /// Appends the next physical line to the current one (a quoted CSV field holding a newline). On
    /// <see cref="LineStatus.TooLong"/> (the record would pass the limit) or <see cref="LineStatus.End"/> the record
    /// stays incomplete and the caller drops it with <see cref="ResumeAfterLineOf"/>.
    /// </summary>
    public LineStatus Extend()
    {
        if (!_lastEndedWithNewline)
        {
            return LineStatus.End;
        }

        _lineStart = LineStart;
        _scan = _next;
        int newline = FindNewline();
        if (newline == NoNewline && _scan == _next)
        {
            return LineStatus.End;
        }

        int lineEnd = newline == NoNewline ? _end : newline;
        if (newline == LineTooLong || ContentEnd(lineEnd) - _lineStart > _maxLineBytes)
        {
            return LineStatus.TooLong;
        }

        _physicalLines++;
        return Finish(newline);
    }

    /// <summary>
    /// Drops the current, incomplete record and resumes reading at the physical line after the one holding
    /// <paramref name="offset"/> (bytes from the record's start, e.g. a quote that never closes). That line becomes
    /// the current line, for the error's line number and snippet, so one stray quote costs one line, not the rest
    /// of the input.
    /// </summary>
    public void ResumeAfterLineOf(int offset)
    {
        ReadOnlySpan<byte> before = _buffer.AsSpan(_lineStart, offset);
        int lastNewline = before.LastIndexOf((byte)'\n');
        int start = lastNewline < 0 ? _lineStart : _lineStart + lastNewline + 1;
        int newline = _buffer.AsSpan(start, _end - start).IndexOf((byte)'\n');
        int lineEnd = newline < 0 ? _end : start + newline;
        LineNumber += before.Count((byte)'\n');
        _physicalLines = LineNumber;
        _next = newline < 0 ? _end : lineEnd + 1;
        _lastEndedWithNewline = newline >= 0;
        SkippedTooLong = false;
        LineStart = start;
        LineLength = ContentEnd(lineEnd) - start;
    }

    private LineStatus Finish(int newline)
    {
        SkippedTooLong = false;
        if (newline == LineTooLong)
        {
            SkipOverlong(_end, newlineSeen: false);
            return LineStatus.TooLong;
        }

        int lineEnd;
        if (newline == NoNewline)
        {
            lineEnd = _end;
            _next = _end;
            _lastEndedWithNewline = false;
        }
        else
        {
            lineEnd = newline;
            _next = newline + 1;
            _lastEndedWithNewline = true;
        }

        int contentEnd = ContentEnd(lineEnd);
        if (contentEnd - _lineStart > _maxLineBytes)
        {
            _scan = _next;
            SkipOverlong(lineEnd, newlineSeen: _lastEndedWithNewline);
            return LineStatus.TooLong;
        }

        LineStart = _lineStart;
        LineLength = contentEnd - _lineStart;
        return LineStatus.Line;
    }

    /// <summary>Drops an over-long line whose bytes so far are [line start, <paramref name="seenEnd"/>).</summary>
    private void SkipOverlong(int seenEnd, bool newlineSeen)
    {
        SkippedTooLong = true;
        TooLongSnippet = Encoding.UTF8.GetString(_buffer, _lineStart, Math.Min(SnippetBytes, seenEnd - _lineStart));
        if (!newlineSeen)
        {
            SkipPastNewline();
        }
    }

    /// <summary>Where a line ending at <paramref name="lineEnd"/> (its '\n' or the end of input) stops, without a '\r'.</summary>
    private int ContentEnd(int lineEnd) =>
        lineEnd > _lineStart && _buffer[lineEnd - 1] == (byte)'\r' ? lineEnd - 1 : lineEnd;

    /// <summary>Index of the next '\n' at or after the scan point, keeping the bytes from the line start in the buffer.</summary>
    private int FindNewline()
    {
        while (true)
        {
            int i = _buffer.AsSpan(_scan, _end - _scan).IndexOf((byte)'\n');
            if (i >= 0)
            {
                return _scan + i;
            }

            _scan = _end;
            if (_end - _lineStart > _maxLineBytes + 1)
            {
                return LineTooLong;
            }

            if (_eof)
            {
                return NoNewline;
            }

            MakeRoom();
            Fill();
        }
    }

    private void SkipPastNewline()
    {
        while (true)
        {
            int i = _buffer.AsSpan(_scan, _end - _scan).IndexOf((byte)'\n');
            if (i >= 0)
            {
                _next = _scan + i + 1;
                _lastEndedWithNewline = true;
                return;
            }

            if (_eof)
            {
                _next = _end;
                _lastEndedWithNewline = false;
                return;
            }

            // Nothing of an over-long line is kept, so the buffer never grows past the limit.
            _lineStart = _scan = _next = _end = 0;
            Fill();
        }
    }

    private void MakeRoom()
    {
        if (_end < _buffer.Length)
        {
            return;
        }

        int kept = _end - _lineStart;
        if (_lineStart > 0)
        {
            Array.Copy(_buffer, _lineStart, _buffer, 0, kept);
            _scan -= _lineStart;
            _next -= Math.Min(_next, _lineStart);
            _end = kept;
            _lineStart = 0;
            return;
        }

        int size = (int)Math.Min(Math.Max(2L * _buffer.Length, 16), _maxLineBytes + 2L);
        Array.Resize(ref _buffer, Math.Max(size, kept + 1));
    }

    private void Fill()
    {
        int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _eof = true;
        }

        _end += n;
    }

    public void Dispose() => _stream.Dispose();
}
