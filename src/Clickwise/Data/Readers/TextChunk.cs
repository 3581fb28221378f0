namespace Clickwise.Data.Readers;

/// <summary>
/// Whole lines of one input file, cut at a newline, for one worker to parse (<see cref="TextChunker"/>):
/// <see cref="Length"/> bytes of <see cref="Buffer"/>, the <see cref="Index"/>-th chunk of the input, after
/// <see cref="LinesBefore"/> lines of its file.
/// </summary>
internal sealed class TextChunk
{
    public required long Index { get; init; }

    public required int FileIndex { get; init; }

    public required string Source { get; init; }

    public required byte[] Buffer { get; init; }

    public required int Length { get; init; }

    public required long LinesBefore { get; init; }

    /// <summary>The last chunk of its file: the file's bad-line limit is checked once more at its end.</summary>
    public required bool EndsFile { get; init; }
}
