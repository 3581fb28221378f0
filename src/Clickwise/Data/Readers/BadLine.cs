namespace Clickwise.Data.Readers;

/// <summary>A skipped line: how many lines of its reader had been read with it (<paramref name="LinesRead"/>) and its line number.</summary>
internal readonly record struct BadLine(long LinesRead, long LineNumber);
