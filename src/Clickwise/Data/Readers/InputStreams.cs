namespace Clickwise.Data.Readers;

/// <summary>Opens raw input: a path or "-" for stdin, gzip detected by its magic bytes rather than the file name.</summary>
internal static class InputStreams
{
    public const string StdinName = "-";

    public static Stream OpenPath(string path) =>
        path == StdinName
            ? Console.OpenStandardInput()
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

    /// <summary>The decoded byte stream of <paramref name="raw"/>; takes ownership of it.</summary>
    public static Stream Decode(Stream raw, string source)
    {
        Span<byte> magic = stackalloc byte[2];
        int got = ReadUpTo(raw, magic, out long startPosition);
        bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        Stream rewound;
        if (raw.CanSeek)
        {
            raw.Position = startPosition;
            rewound = raw;
        }
        else
        {
            rewound = new PrefixedStream(magic[..got].ToArray(), raw);
        }

        return gzip ? GzipDecodeStream.Create(rewound, source) : rewound;
    }

    /// <summary>
    /// Takes the first <paramref name="lineCount"/> lines (at most <paramref name="maxBytes"/>) off the stream to
    /// infer a layout from, and returns them with a stream that still yields every byte from the start.
    /// </summary>
    public static byte[] PeekLines(ref Stream stream, int lineCount, int maxBytes)
    {
        var taken = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int lines = 0;
        while (lines < lineCount && taken.Length < maxBytes)
        {
            int n = stream.Read(chunk, 0, chunk.Length);
            if (n == 0)
            {
                break;
            }

            taken.Write(chunk, 0, n);
            lines += chunk.AsSpan(0, n).Count((byte)'\n');
        }

        byte[] prefix = taken.ToArray();
        stream = new PrefixedStream(prefix, stream);
        return prefix;
    }

    private static int ReadUpTo(Stream stream, Span<byte> into, out long startPosition)
    {
        startPosition = stream.CanSeek ? stream.Position : 0;
        int got = 0;
        while (got < into.Length)
        {
            int n = stream.Read(into[got..]);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        return got;
    }
}
