namespace Clickwise.Data;

/// <summary>The fields a reader yields, in order, excluding the label.</summary>
public sealed class DataSchema
{
    public DataSchema(IReadOnlyList<string> fieldNames, IReadOnlyList<FieldKind> kinds)
    {
        if (fieldNames.Count != kinds.Count || fieldNames.Count == 0)
        {
            throw new ArgumentException("a schema needs one kind per field and at least one field");
        }

        FieldNames = fieldNames.ToArray();
        Kinds = kinds.ToArray();
    }

    /// <summary>The file whose header (or row width) gave these fields, for messages; null when not read from a file.</summary>
    public string? Source { get; init; }

    /// <summary>1 when the fields come from <see cref="Source"/>'s header line, 0 when from its format or row width.</summary>
    public long Line { get; init; }

    public IReadOnlyList<string> FieldNames { get; }

    public IReadOnlyList<FieldKind> Kinds { get; }

    public int FieldCount => Kinds.Count;
}
