using Clickwise.Data;
using Clickwise.Data.Readers;

namespace Clickwise.Runs;

/// <summary>Where rows come from and how to read them: a path (or "-") plus the reader options of its format.</summary>
public sealed record DataSource
{
    public required string Path { get; init; }

    public ReaderOptions Reader { get; init; } = new();

    /// <summary>The file stdin is copied to in the spool directory, so it can be read once per pass.</summary>
    public const string StdinSpoolName = "stdin.input";

    public bool IsStdin => Path == "-";

    /// <summary>Counts each pass's rows and bytes for a progress display; null: not shown.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public InputProgress? Progress { get; init; }

    public Func<IRecordReader> Opener() => () => RecordReaders.Open(Path, Reader, Progress);

    /// <summary>
    /// A reader factory that may be called once per pass. A file is simply reopened; stdin can be read only once,
    /// so it is first copied as is (still compressed, if it was) to <paramref name="spoolDirectory"/>, and errors
    /// keep naming "-".
    /// </summary>
    public Func<IRecordReader> ReplayableOpener(string spoolDirectory) => ReplayableOpener(spoolDirectory, Console.OpenStandardInput);

    internal Func<IRecordReader> ReplayableOpener(string spoolDirectory, Func<Stream> stdin)
    {
        if (!IsStdin)
        {
            return Opener();
        }

        string spool = System.IO.Path.Combine(spoolDirectory, StdinSpoolName);
        using (Stream input = stdin())
        using (var file = new FileStream(spool, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            input.CopyTo(file, 1 << 20);
        }

        ReaderOptions options = Reader;
        return () => RecordReaders.Open(
            new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), Path, options);
    }
}
