using System.Collections.Concurrent;

namespace Clickwise.Data.Readers;

/// <summary>
/// Cuts the text of one or more files (plain or gzip: a gzip stream is decoded here, the one part that cannot be
/// split) into chunks of whole lines of about <see cref="ChunkBytes"/> each, in file order, counting each chunk's
/// newlines so every line keeps its number. A line longer than a chunk grows that chunk until it ends. Buffers come
/// back through <see cref="Return"/>, so a pass allocates only the chunks in flight.
/// </summary>
internal sealed class TextChunker : IDisposable
{
    private readonly IReadOnlyList<string> _files;
    private readonly InputProgress? _progress;
    private readonly ConcurrentBag<byte[]> _free = [];
    private Stream? _stream;
    private int _file = -1;
    private long _linesBefore;
    private bool _atFileStart;
    private byte[] _carry = [];
    private int _carryLength;
    private long _next;

    public TextChunker(IReadOnlyList<string> files, InputProgress? progress, int chunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 16);
        _files = files;
        _progress = progress;
        ChunkBytes = chunkBytes;
        progress?.StartPass(files.Sum(file => new FileInfo(file).Length));
    }

    public int ChunkBytes { get; }

    /// <summary>Gives a chunk's buffer back for reuse once nothing reads it any more.</summary>
    public void Return(TextChunk chunk) => _free.Add(chunk.Buffer);

    /// <summary>The next chunk, or null after the last file's last chunk.</summary>
    public TextChunk? Next()
    {
        if (_stream is null && !OpenNextFile())
        {
            return null;
        }

        return Cut(_files[_file]);
    }

    private bool OpenNextFile()
    {
        if (++_file >= _files.Count)
        {
            return false;
        }

        string path = _files[_file];
        Stream raw = InputStreams.OpenPath(path);
        _stream = InputStreams.Decode(_progress is null ? raw : new CountingStream(raw, _progress), path);
        _linesBefore = 0;
        _carryLength = 0;
        _atFileStart = true;
        return true;
    }

    private TextChunk Cut(string source)
    {
        byte[] buffer = Rent(_carryLength + 1);
        _carry.AsSpan(0, _carryLength).CopyTo(buffer);
        int length = _carryLength;
        int cut;
        bool atEnd;
        while (true)
        {
            atEnd = Fill(buffer, ref length);
            if (_atFileStart)
            {
                length = DropBom(buffer, length);
                _atFileStart = false;
                if (atEnd && length == 0)
                {
                    throw new DataFormatException(source, 0, "empty input");
                }
            }

            cut = atEnd ? length : buffer.AsSpan(0, length).LastIndexOf((byte)'\n') + 1;
            if (cut > 0 || atEnd)
            {
                break;
            }

            Array.Resize(ref buffer, 2 * buffer.Length); // one line longer than the chunk so far
        }

        _carryLength = length - cut;
        if (_carry.Length < _carryLength)
        {
            _carry = new byte[Math.Max(_carryLength, 2 * _carry.Length)];
        }

        buffer.AsSpan(cut, _carryLength).CopyTo(_carry);
        var chunk = new TextChunk
        {
            Index = _next++, FileIndex = _file, Source = source, Buffer = buffer, Length = cut, LinesBefore = _linesBefore, EndsFile = atEnd,
        };
        _linesBefore += buffer.AsSpan(0, cut).Count((byte)'\n');
        if (atEnd)
        {
            _stream!.Dispose();
            _stream = null;
        }

        return chunk;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the file ends; true at its end.</summary>
    private bool Fill(byte[] buffer, ref int length)
    {
        while (length < buffer.Length)
        {
            int n = _stream!.Read(buffer, length, buffer.Length - length);
            if (n == 0)
            {
                return true;
            }

            length += n;
        }

        return false;
    }

    private static int DropBom(byte[] buffer, int length)
    {
        if (length < 3 || buffer[0] != 0xEF || buffer[1] != 0xBB || buffer[2] != 0xBF)
        {
            return length;
        }

        buffer.AsSpan(3, length - 3).CopyTo(buffer);
        return length - 3;
    }

    private byte[] Rent(int atLeast)
    {
        while (_free.TryTake(out byte[]? buffer))
        {
            if (buffer.Length >= atLeast)
            {
                return buffer;
            }
        }

        return new byte[Math.Max(2 * atLeast, ChunkBytes)];
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }
}
