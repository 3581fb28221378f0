namespace Clickwise.Compression.Pruning;

/// <summary>How embedding sparsity is spread over fields.</summary>
public enum EmbeddingPruningScope
{
    /// <summary>One threshold over the whole table (the default; DeepLight found it slightly better).</summary>
    Global,

    /// <summary>Each field's rows pruned to the target on their own.</summary>
    PerField,
}
