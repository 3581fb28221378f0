namespace Clickwise.Data.Readers;

/// <summary>
/// What one data line of a delimited format looks like once every default is filled in: for callers that compose
/// lines from named values (the server's per-column inputs) and then read them with the format's own reader, so
/// the values are parsed exactly as a file's would be.
/// </summary>
/// <param name="ColumnNames">The columns in line order when the format has no header line; null when it reads one.</param>
/// <param name="FeatureColumns">The columns that become fields (numeric, categorical and the hour column).</param>
public sealed record LineShape(char Delimiter, bool Quoted, IReadOnlyList<string>? ColumnNames, string LabelColumn,
                               IReadOnlyList<string> FeatureColumns)
{
    public bool HasHeader => ColumnNames is null;

    /// <summary>The shape of <paramref name="options"/>'s lines; null for libsvm and libffm, whose lines have no named columns.</summary>
    public static LineShape? Of(ReaderOptions options)
    {
        if (options.Format is DataFormat.Libsvm or DataFormat.Libffm)
        {
            return null;
        }

        DelimitedSpec spec = DelimitedSpec.From(options);
        string[] features = [.. spec.NumericColumns, .. spec.CategoricalColumns, .. spec.HourColumn is { } hour ? [hour] : Array.Empty<string>()];
        return new LineShape((char)spec.Delimiter, spec.Quoted, spec.HasHeader ? null : spec.ColumnNames, spec.LabelColumn, features);
    }
}
