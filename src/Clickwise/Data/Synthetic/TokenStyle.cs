namespace Clickwise.Data.Synthetic;

internal enum TokenStyle
{
    /// <summary>8 lowercase hex digits, a bijective hash of the rank (Criteo's and Avazu's hashed ids).</summary>
    Hex,

    /// <summary>The rank-th entry of a fixed list of integers (Avazu's C15 banner widths, say).</summary>
    IntList,

    /// <summary>An integer base + (rank · 7919 mod span): distinct, scattered codes (Avazu's C14, C17).</summary>
    IntRange,
}
