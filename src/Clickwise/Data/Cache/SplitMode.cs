namespace Clickwise.Data.Cache;

/// <summary>How rows are assigned to train/valid/test.</summary>
public enum SplitMode
{
    /// <summary>Each row by a seeded hash of its index (sizes follow the ratios up to binomial noise).</summary>
    Random,

    /// <summary>By row order: the first rows train, the next valid, the last test (time-ordered logs).</summary>
    Sequential,
}
