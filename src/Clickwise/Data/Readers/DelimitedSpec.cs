namespace Clickwise.Data.Readers;

/// <summary>
/// A delimited format with every default filled in: the presets (Criteo, Criteo CSV, Avazu, DeepLight) are
/// generic CSV with a fixed schema, and any option the caller sets overrides the preset. <see cref="Quoted"/>
/// says whether the format has RFC 4180 quoting: Criteo TSV and DeepLight have none, so a <c>"</c> there is part of
/// a cell and never joins lines.
/// </summary>
internal sealed record DelimitedSpec(
    bool Quoted,
    byte Delimiter,
    bool HasHeader,
    bool Labeled,
    string LabelColumn,
    IReadOnlyList<string>? ColumnNames,
    IReadOnlyList<string> NumericColumns,
    IReadOnlyList<string> CategoricalColumns,
    string? HourColumn)
{
    public static readonly string[] CriteoNumeric = Enumerable.Range(1, 13).Select(i => $"I{i}").ToArray();

    public static readonly string[] CriteoCategorical = Enumerable.Range(1, 26).Select(i => $"C{i}").ToArray();

    /// <summary>Avazu's raw train.csv columns after id, click and hour: all categorical.</summary>
    public static readonly string[] AvazuCategorical =
    [
        "C1", "banner_pos", "site_id", "site_domain", "site_category", "app_id", "app_domain", "app_category",
        "device_id", "device_ip", "device_model", "device_type", "device_conn_type",
        "C14", "C15", "C16", "C17", "C18", "C19", "C20", "C21",
    ];

    public static DelimitedSpec From(ReaderOptions o)
    {
        DelimitedSpec preset = o.Format switch
        {
            DataFormat.Criteo => new(false, (byte)'\t', false, o.Labeled, "label", CriteoColumns(o.Labeled), CriteoNumeric, CriteoCategorical, null),
            DataFormat.CriteoCsv => new(true, (byte)',', true, o.Labeled, "label", null, CriteoNumeric, CriteoCategorical, null),
            DataFormat.Avazu => new(true, (byte)',', true, o.Labeled, "click", null, [], AvazuCategorical, "hour"),

            // DeepLight's I-columns are already small bucket indices (max 217 in its train file). The numeric
            // pipeline would bucket them again with floor(ln(x)^2) and merge neighbours (30 and 33 both become 11),
            // so they are kept as categorical tokens: each index stays its own category, as the authors' code had it.
            DataFormat.DeepLight => new(false, (byte)',', false, o.Labeled, "label", CriteoColumns(o.Labeled), [], [.. CriteoNumeric, .. CriteoCategorical], null),
            DataFormat.Csv => new(true, (byte)',', true, o.Labeled, "label", null, [], [], null),
            _ => throw new ArgumentException($"{o.Format} is not a delimited format"),
        };

        char? delimiter = o.Delimiter;
        if (delimiter is { } d && (d > 127 || d is '"' or '\n' or '\r'))
        {
            throw new ArgumentException($"delimiter must be a single ASCII character other than a quote or newline, got '{d}'");
        }

        var spec = preset with
        {
            Delimiter = delimiter is { } c ? (byte)c : preset.Delimiter,
            HasHeader = o.HasHeader ?? (o.ColumnNames is null ? preset.HasHeader : false),
            LabelColumn = o.LabelColumn ?? preset.LabelColumn,
            ColumnNames = o.ColumnNames ?? preset.ColumnNames,
            NumericColumns = o.NumericColumns ?? preset.NumericColumns,
            CategoricalColumns = o.CategoricalColumns ?? preset.CategoricalColumns,
            HourColumn = o.HourColumn ?? preset.HourColumn,
        };
        if (!spec.HasHeader && spec.ColumnNames is null)
        {
            throw new ArgumentException("a headerless delimited file needs ColumnNames");
        }

        if (spec.NumericColumns.Count + spec.CategoricalColumns.Count == 0 && spec.HourColumn is null)
        {
            throw new ArgumentException("the schema names no feature columns: set NumericColumns and/or CategoricalColumns");
        }

        return spec;
    }

    private static string[] CriteoColumns(bool labeled) =>
        labeled ? ["label", .. CriteoNumeric, .. CriteoCategorical] : [.. CriteoNumeric, .. CriteoCategorical];
}
