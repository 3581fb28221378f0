namespace Clickwise.Data.Synthetic;

/// <summary>
/// What to generate. The output bytes depend only on (<see cref="Profile"/>, <see cref="Rows"/>,
/// <see cref="Seed"/>, <see cref="CardinalityScale"/>, <see cref="PositiveRate"/>, <see cref="ZipfExponent"/>),
/// never on <see cref="Threads"/>.
/// </summary>
public sealed record SyntheticOptions
{
    /// <summary>What <c>clickwise synth</c> writes with (it has no option for the scale).</summary>
    public const double DefaultCardinalityScale = 0.1;

    /// <summary>"criteo" (TSV, label + I1..I13 + C1..C26) or "avazu" (CSV with the 24-column header).</summary>
    public string Profile { get; init; } = "criteo";

    public long Rows { get; init; } = 100_000;

    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads generating 64k-row chunks; the calling thread writes them in order.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>
    /// Multiplies the real cardinalities above 100k (which come from 40-45M-row logs) and never takes them
    /// below 100k. 1 keeps Criteo's 10M-category fields; the default 0.1 suits files of a few million rows.
    /// </summary>
    public double CardinalityScale { get; init; } = DefaultCardinalityScale;

    /// <summary>Target share of clicks; the teacher's bias is tuned to it on a pilot sample.</summary>
    public double PositiveRate { get; init; } = 0.25;

    /// <summary>Zipf exponent of the category draws.</summary>
    public double ZipfExponent { get; init; } = 1.1;

    /// <summary>
    /// Compute the teacher's exact AUC, which keeps 8 bytes per row in memory (45M rows: 360 MB) and sorts
    /// them at the end. Off: <see cref="SyntheticReport.TeacherAuc"/> is NaN.
    /// </summary>
    public bool ComputeTeacherAuc { get; init; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Rows, nameof(Rows));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        if (!(CardinalityScale > 0 && CardinalityScale <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(CardinalityScale), CardinalityScale, "must be in (0, 1]");
        }

        if (!(PositiveRate > 0 && PositiveRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(PositiveRate), PositiveRate, "must be in (0, 1)");
        }

        if (!(ZipfExponent > 0) || ZipfExponent == 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ZipfExponent), ZipfExponent, "must be positive and not 1");
        }

        if (ComputeTeacherAuc && Rows > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(Rows), Rows, "too many rows for an exact teacher AUC; set ComputeTeacherAuc = false");
        }
    }
}
