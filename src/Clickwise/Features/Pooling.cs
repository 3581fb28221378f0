namespace Clickwise.Features;

/// <summary>How a multi-hot field's features make its one embedding: Σ_k v_k·T[id_k] or the mean of those terms.</summary>
/// <remarks>Mean is sum with each value divided by the field's feature count, decided at encoding, so the engine only sums.</remarks>
public enum Pooling
{
    Sum,
    Mean,
}
