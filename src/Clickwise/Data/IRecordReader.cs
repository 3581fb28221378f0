namespace Clickwise.Data;

/// <summary>
/// A streaming reader of one input format. In strict mode a malformed line throws
/// <see cref="DataFormatException"/> naming file:line, the reason and the text; in lenient mode it is skipped and
/// counted in <see cref="Stats"/> (and the reader throws once the bad-line ratio passes its limit).
/// </summary>
public interface IRecordReader : IDisposable
{
    DataSchema Schema { get; }

    /// <summary>Fills <paramref name="record"/> with the next good row; false at the end of input.</summary>
    bool Read(RawRecord record);

    BadLineStats Stats { get; }
}
