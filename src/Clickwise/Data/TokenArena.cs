namespace Clickwise.Data;

/// <summary>
/// Token bytes that outlive the reader's line buffer, for rows handed to another thread (<see cref="RawRecord.CopyTo"/>).
/// A full block is left to the records still pointing into it and a new one is started, so storing never moves bytes
/// already stored; <see cref="Reset"/> reuses the current block once no record points into it any more.
/// </summary>
public sealed class TokenArena
{
    private const int BlockBytes = 1 << 20;

    private byte[] _block = []; // allocated with the first token: an arena that is never used costs nothing
    private int _used;

    /// <summary>Copies <paramref name="bytes"/> in; returns the block holding them and where they start.</summary>
    public (byte[] Buffer, int Start) Store(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _block.Length)
        {
            _block = new byte[Math.Max(BlockBytes, bytes.Length)];
            _used = 0;
        }

        int start = _used;
        bytes.CopyTo(_block.AsSpan(start));
        _used += bytes.Length;
        return (_block, start);
    }

    /// <summary>Forgets every stored token: only once the records that held them have been overwritten or dropped.</summary>
    public void Reset() => _used = 0;
}
