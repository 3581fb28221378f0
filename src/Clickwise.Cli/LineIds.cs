using Clickwise.Data;

namespace Clickwise.Cli;

/// <summary>
/// The ids of every input line in line order, good rows' and skipped lines' alike (an id column's text, null when a bad
/// line's could not be read), taken from the records as the reader yields them; <c>predict</c> takes one per output line.
/// </summary>
internal sealed class LineIds(IRecordReader inner) : IRecordReader
{
    private readonly Queue<string?> _ids = new();

    public DataSchema Schema => inner.Schema;

    public BadLineStats Stats => inner.Stats;

    public bool Read(RawRecord record)
    {
        bool read = inner.Read(record);
        foreach (string? skipped in record.SkippedIds)
        {
            _ids.Enqueue(skipped);
        }

        record.SkippedIds.Clear();
        if (read)
        {
            _ids.Enqueue(record.Id);
        }

        return read;
    }

    /// <summary>The next line's id ("" when it could not be read).</summary>
    public string Next() => _ids.Dequeue() ?? "";

    public void Dispose() => inner.Dispose();
}
