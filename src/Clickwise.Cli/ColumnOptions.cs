using System.CommandLine;
using Clickwise.Data.Readers;

namespace Clickwise.Cli;

/// <summary>
/// The columns of a delimited file from flags: <c>--format csv</c> has no fixed schema, so these say which column is the
/// label and which are features; for the preset formats (criteo, avazu, …) they override single parts of the preset.
/// </summary>
internal sealed class ColumnOptions
{
    private readonly Option<string?> _delimiter = new("--delimiter")
    {
        Description = "Column separator of a delimited file: one character, or tab, space, comma, semicolon, pipe",
    };

    private readonly Option<bool?> _header = new("--header")
    {
        Description = "Whether the first line names the columns (csv: yes unless --columns is given)",
    };

    private readonly Option<string?> _columns = new("--columns")
    {
        Description = "Column names of a headerless file, in order, e.g. label,user,movie,tag",
    };

    private readonly Option<string?> _label = new("--label-column") { Description = "The label column (csv default: label)" };

    private readonly Option<string?> _numeric = new("--numeric") { Description = "Numeric feature columns, comma-separated" };

    private readonly Option<string?> _categorical = new("--categorical") { Description = "Categorical feature columns, comma-separated" };

    private readonly Option<int?> _fields = new("--fields")
    {
        Description = "libsvm: features per row; libffm: the field count (fields 0..N-1). Default: a model's own, else inferred from the first 1,000 lines",
    };

    public void AddTo(Command command) => CommonOptions.AddAll(command, _delimiter, _header, _columns, _label, _numeric, _categorical, _fields);

    /// <summary><paramref name="options"/> with the columns the flags name; unset flags leave the format's defaults.</summary>
    public ReaderOptions Apply(ParseResult parse, ReaderOptions options)
    {
        if (parse.GetValue(_delimiter) is { } delimiter)
        {
            options = options with { Delimiter = Delimiter(delimiter) };
        }

        if (parse.GetValue(_header) is bool header)
        {
            options = options with { HasHeader = header };
        }

        if (parse.GetValue(_columns) is { } columns)
        {
            options = options with { ColumnNames = Names(columns, "--columns") };
        }

        if (parse.GetValue(_label) is { } label)
        {
            options = options with { LabelColumn = label };
        }

        if (parse.GetValue(_numeric) is { } numeric)
        {
            options = options with { NumericColumns = Names(numeric, "--numeric") };
        }

        if (parse.GetValue(_categorical) is { } categorical)
        {
            options = options with { CategoricalColumns = Names(categorical, "--categorical") };
        }

        if (parse.GetValue(_fields) is int fields)
        {
            options = !options.IsSparse
                ? throw new UsageException($"--fields is for libsvm and libffm data; {DataFormats.Name(options.Format)} names its columns")
                : fields < 1 ? throw new UsageException($"--fields must be >= 1, got {fields}") : options with { FieldCount = fields };
        }

        if (options.Format == DataFormat.Csv && options.NumericColumns is null && options.CategoricalColumns is null)
        {
            throw new UsageException("--format csv has no fixed columns: name the features with --categorical and/or --numeric "
                + "(the label with --label-column, default label; the columns of a file without a header with --columns)");
        }

        if (options.HasHeader == false && options.ColumnNames is null && options.Format == DataFormat.Csv)
        {
            throw new UsageException("a csv file without a header needs --columns naming its columns in order");
        }

        return options;
    }

    private static char Delimiter(string text) => text switch
    {
        "tab" or "\\t" => '\t',
        "space" => ' ',
        "comma" => ',',
        "semicolon" => ';',
        "pipe" => '|',
        _ when text.Length == 1 => text[0],
        _ => throw new UsageException($"--delimiter wants one character or tab, space, comma, semicolon, pipe; got '{text}'"),
    };

    private static string[] Names(string text, string flag)
    {
        string[] names = [.. text.Split(',').Select(n => n.Trim())];
        return names.Any(n => n.Length == 0)
            ? throw new UsageException($"{flag} wants column names separated by commas, got '{text}'")
            : names;
    }
}
