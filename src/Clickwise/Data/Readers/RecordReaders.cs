namespace Clickwise.Data.Readers;

/// <summary>Opens a streaming <see cref="IRecordReader"/> for a file, stdin ("-") or a stream, plain or gzip.</summary>
public static class RecordReaders
{
    /// <summary>
    /// Opens <paramref name="path"/> ("-" for stdin), or the files a comma list or glob names, read in order as one stream
    /// (<see cref="InputFiles"/>). Throws <see cref="DataFormatException"/> for an empty input or a bad header.
    /// </summary>
    /// <param name="progress">Counts the rows and raw bytes of this pass, for a display on another thread.</param>
    public static IRecordReader Open(string path, ReaderOptions options, InputProgress? progress = null)
    {
        IReadOnlyList<string> files = InputFiles.Expand(path);
        Func<string, Stream> openRaw = InputStreams.OpenPath;
        if (progress is not null)
        {
            progress.StartPass(files.Sum(file => file == InputStreams.StdinName ? 0 : new FileInfo(file).Length));
            openRaw = file => new CountingStream(InputStreams.OpenPath(file), progress);
        }

        IRecordReader reader = files.Count > 1 ? new FileSequenceReader(files, options, openRaw) : Open(openRaw(files[0]), files[0], options);
        return progress is null ? reader : new CountingRecordReader(reader, progress);
    }

    /// <summary>Reads <paramref name="stream"/> (owned and disposed by the reader); <paramref name="sourceName"/> names it in errors.</summary>
    public static IRecordReader Open(Stream stream, string sourceName, ReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Stream decoded = InputStreams.Decode(stream, sourceName);
        int? sparseFields = null;
        try
        {
            if (options.IsSparse)
            {
                sparseFields = options.FieldCount ?? InferFieldCount(ref decoded, sourceName, options);
            }

            var lines = new LineReader(decoded, options.BufferSize, options.MaxLineBytes);
            if (lines.IsEmpty())
            {
                throw new DataFormatException(sourceName, 0, "empty input");
            }

            return options.Format switch
            {
                DataFormat.Libsvm => new LibsvmRecordReader(lines, sourceName, sparseFields!.Value, options),
                DataFormat.Libffm => new LibffmRecordReader(lines, sourceName, sparseFields!.Value, options),
                _ => DelimitedRecordReader.Open(lines, sourceName, options),
            };
        }
        catch
        {
            decoded.Dispose();
            throw;
        }
    }

    private static void Validate(ReaderOptions options)
    {
        if (options.MaxBadRatio is < 0 or > 1 || double.IsNaN(options.MaxBadRatio))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxBadRatio must be within [0, 1], got {options.MaxBadRatio}");
        }

        if (options.MaxLineBytes < 1 || options.BufferSize < 1 || options.FieldCount < 1 || options.MinLinesForRatio < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxLineBytes, BufferSize and FieldCount must be positive, MinLinesForRatio not negative");
        }
    }

    private static int InferFieldCount(ref Stream decoded, string sourceName, ReaderOptions options)
    {
        bool fieldAware = options.Format == DataFormat.Libffm;
        int sampleLines = Math.Max(1, options.FieldInferenceLines);
        byte[] sample = InputStreams.PeekLines(ref decoded, sampleLines, maxBytes: 64 << 20);
        if (sample.Length == 0)
        {
            throw new DataFormatException(sourceName, 0, "empty input");
        }

        int fields = SparseLine.InferFieldCount(sample, fieldAware, sampleLines, out var gap);
        if (fields < 1)
        {
            throw new DataFormatException(sourceName, 0, "cannot infer the field count from the first lines; give it with --fields");
        }

        if (gap is var (line, field, missing, dense))
        {
            if (!options.Strict)
            {
                return dense; // the lines naming fields past it are bad lines, skipped and counted
            }

            throw new DataFormatException(sourceName, line, $"field {field} makes {fields} fields, but {missing} of them never occur in the "
                + $"first {sampleLines:N0} lines: a typo? If the data really has {fields} fields, say so with --fields {fields}");
        }

        return fields;
    }
}
