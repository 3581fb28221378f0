namespace Clickwise.Data;

/// <summary>Input that is not what its format promises. The message reads <c>file:line: reason: 'text…'</c>.</summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string source, long line, string reason, string? snippet = null)
        : base(Format(source, line, reason, snippet))
    {
        SourceName = source;
        Line = line;
        Reason = reason;
    }

    public string SourceName { get; }

    /// <summary>1-based line, or 0 when the problem is not tied to a line (empty file, truncated gzip).</summary>
    public long Line { get; }

    /// <summary>The reason without location, also the key bad lines are counted by.</summary>
    public string Reason { get; }

    private static string Format(string source, long line, string reason, string? snippet)
    {
        string where = line > 0 ? $"{source}:{line}" : source;
        if (snippet is null)
        {
            return $"{where}: {reason}";
        }

        const int Max = 80;
        string cut = snippet.Length > Max ? snippet[..Max] + "…" : snippet;
        return $"{where}: {reason}: '{cut}'";
    }
}
