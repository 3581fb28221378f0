namespace Clickwise.Data.Readers;

/// <summary>A reader that adds each row it yields to an <see cref="InputProgress"/>.</summary>
internal sealed class CountingRecordReader(IRecordReader inner, InputProgress progress) : IRecordReader
{
    public DataSchema Schema => inner.Schema;

    public BadLineStats Stats => inner.Stats;

    public bool Read(RawRecord record)
    {
        if (!inner.Read(record))
        {
            return false;
        }

        progress.AddRow();
        return true;
    }

    public void Dispose() => inner.Dispose();
}
