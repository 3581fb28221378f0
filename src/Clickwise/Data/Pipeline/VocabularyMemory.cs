namespace Clickwise.Data.Pipeline;

/// <summary>
/// The memory the vocabulary pass's count tables may take, all threads together, and where their spill files go beyond
/// it. A setting of the process, not of the experiment: the vocabulary, the ids and the cache are the same bytes whatever
/// the budget, only time and disk traffic change. The budget covers the counts of every token seen, the long tail
/// included; the vocabulary kept at the end (tokens reaching their min count) is not in it, since the model needs it anyway.
/// </summary>
public sealed record VocabularyMemory
{
    /// <summary>
    /// A quarter of the memory this process may use (the machine's, or its container's limit): the counts of a Criteo-size
    /// file (45M rows, ~1 GB of tables on two threads) stay in memory on a machine of a few GB, and a bigger vocabulary
    /// spills instead of taking the memory the chunk buffers, the page cache and, after preparation, training need.
    /// </summary>
    public static VocabularyMemory Default { get; } = new() { Budget = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 };

    /// <summary>Never spill: the tables grow with the distinct tokens.</summary>
    public static VocabularyMemory Unbounded { get; } = new();

    /// <summary>Bytes for the count tables of all threads together; null: unbounded.</summary>
    public long? Budget
    {
        get;
        init => field = value is < 1 ? throw new ArgumentOutOfRangeException(nameof(Budget), value, "the vocabulary's memory budget must be positive") : value;
    }

    /// <summary>The directory the spill files go under; null: the prepared dataset's own directory.</summary>
    public string? TempDirectory { get; init; }
}
