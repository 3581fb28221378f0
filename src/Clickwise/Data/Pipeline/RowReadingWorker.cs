namespace Clickwise.Data.Pipeline;

/// <summary>Reads a chunk's rows and nothing more: counting the good rows (a sequential split's first pass).</summary>
internal sealed class RowReadingWorker(int fieldCount) : IChunkWorker<bool>
{
    private readonly RawRecord _record = new(fieldCount);

    public bool Process(IRecordReader reader, byte[] text, Func<long, long> firstRow)
    {
        while (reader.Read(_record))
        {
        }

        return true;
    }
}
