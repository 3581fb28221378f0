namespace Clickwise.Data.Pipeline;

/// <summary>One thread's share of a <see cref="ChunkedPass{TResult}"/>: turns the rows of a chunk into a result, committed in chunk order.</summary>
internal interface IChunkWorker<TResult>
{
    /// <summary>
    /// Reads every row of <paramref name="reader"/> (one chunk, whose tokens are slices of <paramref name="text"/>). <paramref name="firstRow"/>, called once all rows are read
    /// with their count, gives the index of the chunk's first row in the whole input, once the chunks before it are parsed.
    /// </summary>
    TResult Process(IRecordReader reader, byte[] text, Func<long, long> firstRow);
}
