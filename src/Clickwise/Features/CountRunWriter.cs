namespace Clickwise.Features;

/// <summary>
/// Writes one run of spilled vocabulary counts (<see cref="CountSpill"/>): per counted field, its entries ordered by token
/// hash. The hashes are written as varint gaps from the previous one, the counts as varints (mostly one byte: the long
/// tail counts 1), and a token's bytes only when they were kept, so a run costs about 9 bytes per tail token.
/// </summary>
/// <remarks>
/// Layout: <c>CWCR</c>, version byte, varint field count; per field its entries (varint count ≥ 1, varint hash gap, varint
/// token length + 1 or 0 for none, token bytes) and a count of 0 that ends the field, so a merge writes a field as it
/// streams without knowing its size first. <see cref="CountRunReader"/> reads it.
/// </remarks>
internal sealed class CountRunWriter : IDisposable
{
    public const uint Magic = 0x52435743; // "CWCR" little-endian
    public const byte Version = 1;

    private readonly FileStream _file;
    private readonly BinaryWriter _writer;
    private ulong _previous;
    private bool _inField;

    public CountRunWriter(string path, int fieldCount)
    {
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new BinaryWriter(_file);
        _writer.Write(Magic);
        _writer.Write(Version);
        _writer.Write7BitEncodedInt(fieldCount);
    }

    /// <summary>Starts the next field's section (ending the one before); its entries follow in ascending hash order.</summary>
    public void BeginField()
    {
        EndField();
        _inField = true;
        _previous = 0;
    }

    /// <summary>One entry: a hash above the previous one in this field, its count (≥ 1), and its token's bytes when known.</summary>
    public void Add(ulong hash, int count, ReadOnlySpan<byte> token, bool hasToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _writer.Write7BitEncodedInt(count);
        _writer.Write7BitEncodedInt64((long)(hash - _previous));
        _writer.Write7BitEncodedInt(hasToken ? token.Length + 1 : 0);
        _writer.Write(token);
        _previous = hash;
    }

    /// <summary>Ends the last field and flushes the run to its file; a run not committed is never read.</summary>
    public void Commit()
    {
        EndField();
        _writer.Flush();
    }

    private void EndField()
    {
        if (_inField)
        {
            _writer.Write7BitEncodedInt(0);
            _inField = false;
        }
    }

    public void Dispose() => _writer.Dispose();
}
