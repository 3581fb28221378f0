namespace Clickwise.Data;

/// <summary>Counts of lines read, kept and skipped (by reason) in lenient mode; the summary printed after a pass.</summary>
public sealed class BadLineStats
{
    private readonly Dictionary<string, long> _skippedByReason = new(StringComparer.Ordinal);

    public long LinesRead { get; set; }

    public long RowsParsed { get; set; }

    public long Skipped => _skippedByReason.Values.Sum();

    public IReadOnlyDictionary<string, long> SkippedByReason => _skippedByReason;

    private const int Kept = 5;

    /// <summary>The first few bad-line messages, with location, for the user.</summary>
    public List<string> FirstMessages { get; } = [];

    /// <summary>Where those lines are (<c>file:line</c>): the summary names them, so a skipped line can be found and fixed.</summary>
    public List<string> FirstLocations { get; } = [];

    public void CountSkip(DataFormatException error)
    {
        _skippedByReason[error.Reason] = _skippedByReason.GetValueOrDefault(error.Reason) + 1;
        if (FirstMessages.Count < Kept)
        {
            FirstMessages.Add(error.Message);
            FirstLocations.Add(error.Line > 0 ? $"{error.SourceName}:{error.Line}" : error.SourceName);
        }
    }

    /// <summary>Adds another pass's counts (the next file of a list read as one stream).</summary>
    public void Add(BadLineStats other)
    {
        LinesRead += other.LinesRead;
        RowsParsed += other.RowsParsed;
        foreach ((string reason, long count) in other._skippedByReason)
        {
            _skippedByReason[reason] = _skippedByReason.GetValueOrDefault(reason) + count;
        }

        int room = Math.Max(0, Kept - FirstMessages.Count);
        FirstMessages.AddRange(other.FirstMessages.Take(room));
        FirstLocations.AddRange(other.FirstLocations.Take(room));
    }

    public override string ToString()
    {
        string reasons = string.Join(", ", _skippedByReason.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key}={kv.Value}"));
        string where = FirstLocations.Count == 0 ? "" : $"; skipped {string.Join(", ", FirstLocations)}{(Skipped > FirstLocations.Count ? ", …" : "")}";
        return $"lines={LinesRead}, parsed={RowsParsed}, skipped={Skipped}" + (reasons.Length > 0 ? $" ({reasons})" : "") + where;
    }
}
