namespace Clickwise.Features;

/// <summary>How a numeric field's value becomes a category token.</summary>
public enum NumericTransform
{
    /// <summary>The field's raw text is the token (each distinct spelling is a category).</summary>
    None,

    /// <summary>
    /// The Criteo winners' bucketing (also FuxiCTR's <c>convert_to_bucket</c>): x → ⌊ln(x)²⌋ if x &gt; 2, else the
    /// integer part of x, so negative counts stay categories of their own.
    /// </summary>
    LogSquare,
}
