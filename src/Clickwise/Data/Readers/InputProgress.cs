using System.Diagnostics;

namespace Clickwise.Data.Readers;

/// <summary>
/// How far a pass over the input is, for progress displays on another thread: rows read, raw bytes read (compressed
/// bytes for .gz) and the files' total size (0 for stdin, whose size is unknown), counted by the reader that was opened
/// with it. A new pass (a reader opened again: prepare reads its data once per pass) starts the counts over.
/// </summary>
public sealed class InputProgress
{
    private long _rows;
    private long _bytesRead;
    private long _totalBytes;
    private int _pass;
    private long _passStarted;

    public long Rows => Volatile.Read(ref _rows);

    public long BytesRead => Volatile.Read(ref _bytesRead);

    public long TotalBytes => Volatile.Read(ref _totalBytes);

    /// <summary>1 for the first pass over the input, 2 for the next, …</summary>
    public int Pass => Volatile.Read(ref _pass);

    /// <summary>Time since the current pass began.</summary>
    public TimeSpan PassElapsed => Stopwatch.GetElapsedTime(Volatile.Read(ref _passStarted));

    /// <summary>The part of the pass done, from the bytes read; null when the size is unknown (stdin).</summary>
    public double? Fraction => TotalBytes > 0 ? Math.Min(1.0, (double)BytesRead / TotalBytes) : null;

    internal void StartPass(long totalBytes)
    {
        Volatile.Write(ref _rows, 0);
        Volatile.Write(ref _bytesRead, 0);
        Volatile.Write(ref _totalBytes, totalBytes);
        Volatile.Write(ref _passStarted, Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _pass);
    }

    // One reading thread writes; the display thread only reads, so a plain volatile write is enough.
    internal void AddRow() => AddRows(1);

    internal void AddRows(long count) => Volatile.Write(ref _rows, _rows + count);

    internal void AddBytes(long count) => Volatile.Write(ref _bytesRead, _bytesRead + count);
}
