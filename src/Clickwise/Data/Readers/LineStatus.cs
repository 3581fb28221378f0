namespace Clickwise.Data.Readers;

/// <summary>What <see cref="LineReader"/> found.</summary>
internal enum LineStatus
{
    /// <summary>A line is available in the buffer.</summary>
    Line,

    /// <summary>A line longer than the limit was skipped; only its start is kept, as a snippet.</summary>
    TooLong,

    /// <summary>No more input.</summary>
    End,
}
