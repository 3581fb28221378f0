namespace Clickwise.Data.Readers;

/// <summary>
/// An input that several threads can parse at once: its text is cut into chunks of whole lines (<see cref="TextChunker"/>)
/// and each chunk read by a reader of its own. That needs a format whose records are single lines and whose lines mean
/// the same wherever they are: Criteo TSV and DeepLight without a header or an id column. Quoted CSV (a newline may sit in
/// a field), headers, id columns, sparse formats and stdin are read by one reader instead (<see cref="TryCreate"/> gives null).
/// </summary>
public sealed class ChunkedInput
{
    /// <summary>1 MB: thousands of rows a chunk, so handing one over costs nothing next to parsing it, and few chunks in flight.</summary>
    public const int DefaultChunkBytes = 1 << 20;

    private readonly ReaderOptions _chunkOptions;

    private ChunkedInput(IReadOnlyList<string> files, ReaderOptions options, InputProgress? progress, int threads, int chunkBytes)
    {
        Files = files;
        Options = options;
        Progress = progress;
        Threads = threads;
        ChunkBytes = chunkBytes;
        // A chunk's reader never stops at the bad-line limit: the limit holds for a whole file, and is checked in file order.
        _chunkOptions = options with { MaxBadRatio = 1 };
    }

    /// <summary>Workers that parse chunks at once.</summary>
    public int Threads { get; }

    public int ChunkBytes { get; }

    internal IReadOnlyList<string> Files { get; }

    internal ReaderOptions Options { get; }

    internal InputProgress? Progress { get; }

    /// <summary>The input <paramref name="path"/> names, read in chunks by <paramref name="threads"/> workers; null when its format cannot be cut at any newline.</summary>
    public static ChunkedInput? TryCreate(string path, ReaderOptions options, InputProgress? progress, int threads, int chunkBytes = DefaultChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        bool singleLineRecords = options.Format is DataFormat.Criteo or DataFormat.DeepLight && options.HasHeader != true && options.IdColumn is null;
        if (!singleLineRecords || path == InputStreams.StdinName)
        {
            return null;
        }

        return new ChunkedInput(InputFiles.Expand(path), options, progress, threads, chunkBytes);
    }

    /// <summary>A reader of the rows of <paramref name="chunk"/> that logs its bad lines for the file-wide limit.</summary>
    internal TextRecordReader OpenChunk(TextChunk chunk, List<BadLine> badLines)
    {
        var lines = new LineReader(chunk.Buffer, chunk.Length, chunk.LinesBefore, Options.MaxLineBytes);
        TextRecordReader reader = DelimitedRecordReader.Open(lines, chunk.Source, _chunkOptions);
        reader.BadLines = badLines;
        return reader;
    }
}
