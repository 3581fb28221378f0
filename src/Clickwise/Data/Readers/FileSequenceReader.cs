namespace Clickwise.Data.Readers;

/// <summary>
/// Several files read in order as one stream of rows (<c>-d day_0.gz,day_1.gz</c>), each opened only when the one before
/// is done, so nothing is spooled. Every file is read by its own reader with the same options: errors name the file and
/// its own line, a header is expected in each file that has one, and lenient mode's bad-line limit holds per file.
/// Ordinals run on across files, so output line k still answers input data line k.
/// </summary>
internal sealed class FileSequenceReader : IRecordReader
{
    private readonly IReadOnlyList<string> _paths;
    private readonly ReaderOptions _options;
    private readonly Func<string, Stream> _openRaw;
    private readonly BadLineStats _finished = new();
    private IRecordReader? _current;
    private int _index;

    /// <summary>Opens the first file (so an empty or malformed first file fails here, as a single file does).</summary>
    /// <param name="openRaw">Opens a file's raw bytes (counted, when progress is shown).</param>
    public FileSequenceReader(IReadOnlyList<string> paths, ReaderOptions options, Func<string, Stream> openRaw)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(paths.Count, 2);
        _paths = paths;
        _openRaw = openRaw;
        _current = OpenFile(paths[0], options);
        Schema = _current.Schema;
        // A sparse format's field count is inferred from the first lines: the first file's count holds for the rest.
        _options = options.IsSparse ? options with { FieldCount = Schema.FieldCount } : options;
    }

    public DataSchema Schema { get; }

    /// <summary>The counts of the files read so far, the current one included.</summary>
    public BadLineStats Stats
    {
        get
        {
            var stats = new BadLineStats();
            stats.Add(_finished);
            if (_current is not null)
            {
                stats.Add(_current.Stats);
            }

            return stats;
        }
    }

    public bool Read(RawRecord record)
    {
        while (_current is not null)
        {
            if (_current.Read(record))
            {
                record.Ordinal += _finished.LinesRead;
                return true;
            }

            _finished.Add(_current.Stats);
            _current.Dispose();
            _current = null;
            if (++_index < _paths.Count)
            {
                _current = OpenFile(_paths[_index], _options);
                CheckSameColumns(_paths[_index], _current.Schema);
            }
        }

        return false;
    }

    public void Dispose() => _current?.Dispose();

    private IRecordReader OpenFile(string path, ReaderOptions options) => RecordReaders.Open(_openRaw(path), path, options);

    private void CheckSameColumns(string path, DataSchema schema)
    {
        if (!schema.FieldNames.SequenceEqual(Schema.FieldNames) || !schema.Kinds.SequenceEqual(Schema.Kinds))
        {
            throw new DataFormatException(path, 0, $"its columns ({string.Join(",", schema.FieldNames)}) differ from those of {_paths[0]} "
                + $"({string.Join(",", Schema.FieldNames)}); the files of one list are read as one stream");
        }
    }
}
