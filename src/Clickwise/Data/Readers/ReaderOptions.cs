namespace Clickwise.Data.Readers;

/// <summary>
/// How to read one input. Unset (null) properties take the format's defaults (see <see cref="RecordReaders"/>):
/// for example <see cref="DataFormat.Criteo"/> means tab-separated, no header, label then I1..I13 numeric and
/// C1..C26 categorical.
/// </summary>
public sealed record ReaderOptions
{
    public DataFormat Format { get; init; } = DataFormat.Criteo;

    /// <summary>Whether the first line names the columns (delimited formats).</summary>
    public bool? HasHeader { get; init; }

    /// <summary>Column separator of the delimited formats (any single ASCII character).</summary>
    public char? Delimiter { get; init; }

    /// <summary>False for label-less files (Criteo/Avazu test sets): every row gets label 0.</summary>
    public bool Labeled { get; init; } = true;

    /// <summary>The label column of the delimited formats, matched case-insensitively.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>Column names of a headerless delimited file, in file order.</summary>
    public IReadOnlyList<string>? ColumnNames { get; init; }

    /// <summary>Columns parsed as numbers (missing when empty); every other unlisted column is ignored.</summary>
    public IReadOnlyList<string>? NumericColumns { get; init; }

    /// <summary>Columns kept as opaque tokens (missing when empty).</summary>
    public IReadOnlyList<string>? CategoricalColumns { get; init; }

    /// <summary>A YYMMDDHH column replaced by two categorical fields, hour of day and weekday (Avazu's <c>hour</c>).</summary>
    public string? HourColumn { get; init; }

    /// <summary>
    /// A column whose text each row carries through as <see cref="RawRecord.Id"/> (<c>predict --id-column</c>): a name, or a
    /// 0-based index; delimited formats only. Null: none.
    /// </summary>
    public string? IdColumn { get; init; }

    /// <summary>Fields per row for libsvm (features per row) and libffm (declared field count); inferred when null.</summary>
    public int? FieldCount { get; init; }

    /// <summary>libsvm and libffm: tokens name positions or fields, not columns, so the field count is the schema.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsSparse => Format is DataFormat.Libsvm or DataFormat.Libffm;

    /// <summary>
    /// These options reading rows for a model of <paramref name="fieldCount"/> fields: a sparse format takes the model's
    /// count unless one is given, so a file lacking the highest field still reads, and a field past it is a bad line.
    /// </summary>
    public ReaderOptions WithFieldCountOf(int fieldCount) => IsSparse && FieldCount is null ? this with { FieldCount = fieldCount } : this;

    /// <summary>Lines sampled to infer <see cref="FieldCount"/> when it is null (libsvm takes the first data line's width).</summary>
    public int FieldInferenceLines { get; init; } = 1000;

    /// <summary>Strict: the first bad line throws. Lenient: bad lines are skipped and counted in <see cref="IRecordReader.Stats"/>.</summary>
    public bool Strict { get; init; } = true;

    /// <summary>Lenient mode aborts once skipped/read lines exceeds this (after <see cref="MinLinesForRatio"/> lines, and at the end).</summary>
    public double MaxBadRatio { get; init; } = 0.001;

    public long MinLinesForRatio { get; init; } = 1000;

    /// <summary>A longer line is a bad line; bounds the reader's memory.</summary>
    public int MaxLineBytes { get; init; } = 1 << 20;

    /// <summary>Initial read buffer; it grows up to <see cref="MaxLineBytes"/> when a line does not fit.</summary>
    public int BufferSize { get; init; } = 64 * 1024;
}
