using Clickwise.Features;

namespace Clickwise.Data.Pipeline;

/// <summary>Pass 2 on one thread: encodes the rows of a chunk with the fitted (read-only) vocabulary.</summary>
internal sealed class EncodingWorker(FeatureMap map) : IChunkWorker<EncodedChunk>
{
    private readonly FeatureEncoder _encoder = map.CreateEncoder();
    private readonly RawRecord _record = new(map.FieldCount);

    public EncodedChunk Process(IRecordReader reader, byte[] text, Func<long, long> firstRow)
    {
        map.CheckSchema(reader.Schema);
        var chunk = new EncodedChunk(map.FieldCount);
        try
        {
            while (reader.Read(_record))
            {
                int row = chunk.Add(_record.Label);
                chunk.Weighted |= _encoder.Encode(_record, chunk.IdsOf(row), chunk.ValuesOf(row));
            }
        }
        catch
        {
            chunk.Release();
            throw;
        }

        return chunk;
    }
}
