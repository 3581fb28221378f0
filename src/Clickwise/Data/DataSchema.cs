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

    public IReadOnlyList<string> FieldNames { get; }

    public IReadOnlyList<FieldKind> Kinds { get; }

    public int FieldCount => Kinds.Count;
}
