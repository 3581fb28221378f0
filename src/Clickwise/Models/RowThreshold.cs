namespace Clickwise.Models;

/// <summary>Which learnable thresholds prune the shared table's rows (OptEmbed's row mask, <see cref="Layers.EmbeddingRowMask"/>).</summary>
public enum RowThreshold
{
    /// <summary>No row mask.</summary>
    None,

    /// <summary>One threshold per field, t ∈ R^F (the paper's).</summary>
    Field,

    /// <summary>One threshold per feature row, t ∈ R^V.</summary>
    Feature,
}
