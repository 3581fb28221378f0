namespace Clickwise.Data;

/// <summary>How a field's raw text becomes a feature id.</summary>
public enum FieldKind
{
    /// <summary>An opaque token (hashed string, index); each distinct token is a category.</summary>
    Categorical,

    /// <summary>A number (Criteo I1..I13); bucketed into a category by the feature pipeline.</summary>
    Numeric,
}
