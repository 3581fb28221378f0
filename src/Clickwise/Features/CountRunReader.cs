namespace Clickwise.Features;

/// <summary>Reads a run <see cref="CountRunWriter"/> wrote, field by field and entry by entry, front to back.</summary>
internal sealed class CountRunReader : IDisposable
{
    private readonly string _path;
    private readonly BinaryReader _reader;
    private byte[] _token = new byte[64];
    private bool _inField;

    public CountRunReader(string path, int fieldCount)
    {
        _path = path;
        _reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
        try
        {
            if (_reader.ReadUInt32() != CountRunWriter.Magic || _reader.ReadByte() != CountRunWriter.Version || _reader.Read7BitEncodedInt() != fieldCount)
            {
                throw new InvalidDataException($"{path}: not a count run of version {CountRunWriter.Version} with {fieldCount} fields");
            }
        }
        catch
        {
            _reader.Dispose();
            throw;
        }
    }

    /// <summary>The current entry's token hash.</summary>
    public ulong Hash { get; private set; }

    public int Count { get; private set; }

    /// <summary>Whether the current entry carries its token's bytes.</summary>
    public bool HasToken { get; private set; }

    /// <summary>The current entry's token bytes (empty when it has none), valid until the next <see cref="Next"/>.</summary>
    public ReadOnlySpan<byte> Token => _token.AsSpan(0, TokenLength);

    private int TokenLength { get; set; }

    /// <summary>Moves to the next field's section; the previous one must have been read to its end.</summary>
    public void BeginField()
    {
        if (_inField)
        {
            throw new InvalidOperationException($"{_path}: the previous field is not read to its end");
        }

        _inField = true;
        Hash = 0;
    }

    /// <summary>Moves to the field's next entry; false at the section's end.</summary>
    public bool Next()
    {
        if (!_inField)
        {
            return false;
        }

        Count = _reader.Read7BitEncodedInt();
        if (Count == 0)
        {
            _inField = false;
            return false;
        }

        Hash += (ulong)_reader.Read7BitEncodedInt64();
        int length = _reader.Read7BitEncodedInt();
        HasToken = length > 0;
        TokenLength = Math.Max(length - 1, 0);
        if (TokenLength > _token.Length)
        {
            _token = new byte[Math.Max(TokenLength, 2 * _token.Length)];
        }

        _reader.BaseStream.ReadExactly(_token, 0, TokenLength);
        return true;
    }

    public void Dispose() => _reader.Dispose();
}
