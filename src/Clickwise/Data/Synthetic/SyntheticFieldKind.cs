namespace Clickwise.Data.Synthetic;

internal enum SyntheticFieldKind
{
    /// <summary>A Zipf-distributed category, written as a token (hex hash or integer code).</summary>
    Categorical,

    /// <summary>A heavy-tailed integer count (Criteo's I1..I13).</summary>
    Count,

    /// <summary>Avazu's hour, YYMMDDHH, advancing with the row index like the time-ordered original.</summary>
    Hour,
}
