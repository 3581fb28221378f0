namespace Clickwise.Models;

/// <summary>What a row pruned by its threshold reads as (the reference code's <c>mode_oov</c>).</summary>
public enum PrunedRows
{
    /// <summary>Zeros: the row's lookups contribute nothing (the reference's default).</summary>
    Zero,

    /// <summary>The field's OOV row, which is never pruned.</summary>
    Oov,
}
