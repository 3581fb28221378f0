using Clickwise.Data;

namespace Clickwise.Features;

/// <summary>Names of kinds and transforms in files, and the check that specs fit a reader's schema.</summary>
public static class FeatureSpecs
{
    public static string KindName(FieldKind kind) => kind switch
    {
        FieldKind.Categorical => "categorical",
        FieldKind.Numeric => "numeric",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static FieldKind ParseKind(string text) => text switch
    {
        "categorical" => FieldKind.Categorical,
        "numeric" => FieldKind.Numeric,
        _ => throw new FormatException($"unknown field kind '{text}' (expected categorical or numeric)"),
    };

    public static string TransformName(NumericTransform transform) => transform switch
    {
        NumericTransform.None => "none",
        NumericTransform.LogSquare => "log_square",
        _ => throw new ArgumentOutOfRangeException(nameof(transform)),
    };

    public static NumericTransform ParseTransform(string text) => text switch
    {
        "none" => NumericTransform.None,
        "log_square" => NumericTransform.LogSquare,
        _ => throw new FormatException($"unknown numeric transform '{text}' (expected none or log_square)"),
    };

    /// <summary>
    /// Specs must name the schema's fields in order; a numeric spec needs a numeric field (it reads the parsed
    /// number), while a categorical spec may read any field's raw text.
    /// </summary>
    public static void CheckSchema(IReadOnlyList<FeatureSpec> specs, DataSchema schema)
    {
        if (specs.Count != schema.FieldCount)
        {
            throw new ArgumentException($"the data has {schema.FieldCount} fields but the feature specs name {specs.Count}");
        }

        for (int f = 0; f < specs.Count; f++)
        {
            if (!string.Equals(specs[f].Name, schema.FieldNames[f], StringComparison.Ordinal))
            {
                throw new ArgumentException($"field {f} is '{schema.FieldNames[f]}' in the data but '{specs[f].Name}' in the feature specs");
            }

            if (specs[f].Kind == FieldKind.Numeric && schema.Kinds[f] != FieldKind.Numeric)
            {
                throw new ArgumentException($"field '{specs[f].Name}' is numeric in the feature specs but categorical in the data");
            }
        }
    }

    /// <summary>One spec per schema field with the given defaults.</summary>
    public static FeatureSpec[] FromSchema(DataSchema schema, int minCount = 1, int hashBuckets = 0, NumericTransform transform = NumericTransform.LogSquare)
    {
        var specs = new FeatureSpec[schema.FieldCount];
        for (int f = 0; f < specs.Length; f++)
        {
            specs[f] = new FeatureSpec(schema.FieldNames[f], schema.Kinds[f], minCount, hashBuckets, transform);
            specs[f].Validate();
        }

        return specs;
    }
}
