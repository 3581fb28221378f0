namespace Clickwise.Data.Readers;

/// <summary>Names of <see cref="DataFormat"/> as written on the command line and in configs.</summary>
public static class DataFormats
{
    public static DataFormat Parse(string name) => name.ToLowerInvariant() switch
    {
        "criteo" or "criteo-tsv" => DataFormat.Criteo,
        "criteo-csv" => DataFormat.CriteoCsv,
        "avazu" => DataFormat.Avazu,
        "deeplight" => DataFormat.DeepLight,
        "csv" => DataFormat.Csv,
        "libsvm" or "libfm" => DataFormat.Libsvm,
        "libffm" => DataFormat.Libffm,
        _ => throw new ArgumentException($"unknown format '{name}'; expected one of: criteo, criteo-csv, avazu, deeplight, csv, libsvm, libfm, libffm"),
    };

    public static string Name(DataFormat format) => format switch
    {
        DataFormat.Criteo => "criteo",
        DataFormat.CriteoCsv => "criteo-csv",
        DataFormat.Avazu => "avazu",
        DataFormat.DeepLight => "deeplight",
        DataFormat.Csv => "csv",
        DataFormat.Libsvm => "libsvm",
        DataFormat.Libffm => "libffm",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
