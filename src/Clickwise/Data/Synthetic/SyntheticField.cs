namespace Clickwise.Data.Synthetic;

/// <summary>
/// How one column is drawn and written. Missing values: a field is missing when its group's uniform draw
/// falls below <see cref="MissingRate"/>; fields sharing a <see cref="MissingGroup"/> share the draw, so their
/// missingness nests like Criteo's (C19, C20, C25, C26 are missing together).
/// </summary>
internal sealed record SyntheticField
{
    public required string Name { get; init; }

    public required SyntheticFieldKind Kind { get; init; }

    public double MissingRate { get; init; }

    /// <summary>Index of the shared missing draw, or -1 for an independent draw.</summary>
    public int MissingGroup { get; init; } = -1;

    /// <summary>Teacher weight multiplier for this field's effects.</summary>
    public double Importance { get; init; } = 1;

    // Categorical.
    public long Cardinality { get; init; } = 1;

    /// <summary>Extra probability of rank 0 on top of Zipf (Avazu's device_id a99f214a is ~80% of rows).</summary>
    public double TopShare { get; init; }

    public TokenStyle Style { get; init; } = TokenStyle.Hex;

    /// <summary>Literal tokens for the first ranks (real head values); later ranks use <see cref="Style"/>.</summary>
    public IReadOnlyList<string> Head { get; init; } = [];

    public IReadOnlyList<long> IntValues { get; init; } = [];

    public long RangeBase { get; init; }

    public long RangeSpan { get; init; } = 1;

    public SiteAppSide Side { get; init; }

    // Count.
    public double Median { get; init; }

    /// <summary>Log-scale spread: value = ⌊(median + 1)·e^(σ·g) − 1⌋, g standard normal.</summary>
    public double Sigma { get; init; } = 1;

    /// <summary>Share of small negative values (Criteo's I2 holds -1, rarely -2 or -3).</summary>
    public double NegativeRate { get; init; }

    public static SyntheticField Hex(string name, long cardinality, double missingRate = 0, int missingGroup = -1) =>
        new() { Name = name, Kind = SyntheticFieldKind.Categorical, Cardinality = cardinality, MissingRate = missingRate, MissingGroup = missingGroup };

    public static SyntheticField Ints(string name, params long[] values) =>
        new() { Name = name, Kind = SyntheticFieldKind.Categorical, Cardinality = values.Length, Style = TokenStyle.IntList, IntValues = values };

    public static SyntheticField Range(string name, long cardinality, long first, long span) =>
        new()
        {
            Name = name, Kind = SyntheticFieldKind.Categorical, Cardinality = cardinality, Style = TokenStyle.IntRange,
            RangeBase = first, RangeSpan = span,
        };

    public static SyntheticField Count(string name, double median, double sigma, double missingRate = 0, int missingGroup = -1) =>
        new() { Name = name, Kind = SyntheticFieldKind.Count, Median = median, Sigma = sigma, MissingRate = missingRate, MissingGroup = missingGroup };
}
