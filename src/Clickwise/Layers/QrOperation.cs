namespace Clickwise.Layers;

/// <summary>How a quotient-remainder embedding joins its two rows (Shi et al., KDD'20, <see cref="QuotientRemainder"/>).</summary>
public enum QrOperation
{
    /// <summary>Element-wise product Q[i / m] ⊙ R[i mod m]: the paper's best-performing choice.</summary>
    Multiply,

    /// <summary>Sum Q[i / m] + R[i mod m].</summary>
    Add,
}
