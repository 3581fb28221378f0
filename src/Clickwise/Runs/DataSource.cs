using Clickwise.Data;
using Clickwise.Data.Readers;

namespace Clickwise.Runs;

/// <summary>Where rows come from and how to read them: a path (or "-") plus the reader options of its format.</summary>
public sealed record DataSource
{
    public required string Path { get; init; }

    public ReaderOptions Reader { get; init; } = new();

    public Func<IRecordReader> Opener() => () => RecordReaders.Open(Path, Reader);

    /// <summary>The format names the CLI accepts, mapped to reader formats.</summary>
    public static DataFormat ParseFormat(string name) => name.ToLowerInvariant() switch
    {
        "criteo" => DataFormat.Criteo,
        "criteo-csv" => DataFormat.CriteoCsv,
        "avazu" => DataFormat.Avazu,
        "deeplight" => DataFormat.DeepLight,
        "csv" => DataFormat.Csv,
        "libsvm" or "libfm" => DataFormat.Libsvm,
        "libffm" => DataFormat.Libffm,
        _ => throw new ArgumentException($"unknown format '{name}'; expected one of: {string.Join(", ", FormatNames)}"),
    };

    public static IReadOnlyList<string> FormatNames { get; } =
        ["criteo", "criteo-csv", "avazu", "deeplight", "csv", "libsvm", "libffm"];
}
