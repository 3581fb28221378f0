namespace Clickwise.Features;

/// <summary>
/// The bytes of the tokens a <see cref="VocabularyBuilder"/> keeps, one after another in one growing array, each found by
/// the 32-bit reference its count slot holds (<see cref="HashIdTable"/>'s check word, which counts leave unused). A kept
/// token costs its bytes and a length byte, where an array and a dictionary entry of its own cost ~60 bytes more: after
/// a spill every token of a run keeps its bytes, so this is most of what a run holds in memory besides its counts.
/// </summary>
internal sealed class TokenArena
{
    private byte[] _bytes = new byte[1 << 12];
    private int _used;

    /// <summary>The bytes the arena holds after <paramref name="newBytes"/> more (it doubles as it fills).</summary>
    public long BytesAfter(long newBytes)
    {
        long size = _bytes.Length;
        while (_used + newBytes > size)
        {
            size *= 2;
        }

        return size;
    }

    /// <summary>Appends <paramref name="token"/>; returns its reference, never 0 (0 marks a slot without a token).</summary>
    public uint Add(ReadOnlySpan<byte> token)
    {
        long end = (long)_used + 5 + token.Length;
        if (end > _bytes.Length)
        {
            if (end > Array.MaxLength)
            {
                throw new InvalidOperationException("the kept tokens of one vocabulary builder passed 2 GB; give the pass a memory budget so they spill");
            }

            Array.Resize(ref _bytes, (int)Math.Min(Array.MaxLength, Math.Max(end, 2L * _bytes.Length)));
        }

        int at = _used;
        int p = at;
        uint length = (uint)token.Length;
        for (; length >= 0x80; length >>= 7)
        {
            _bytes[p++] = (byte)(length | 0x80);
        }

        _bytes[p++] = (byte)length;
        token.CopyTo(_bytes.AsSpan(p));
        _used = p + token.Length;
        return (uint)at + 1;
    }

    /// <summary>The token <paramref name="reference"/> (from <see cref="Add"/>) names, valid until the next <see cref="Add"/>.</summary>
    public ReadOnlySpan<byte> Get(uint reference)
    {
        int p = (int)(reference - 1);
        int length = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = _bytes[p++];
            length |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        return _bytes.AsSpan(p, length);
    }

    /// <summary>Forgets every token but keeps the array: a builder emptied by a spill refills it.</summary>
    public void Clear() => _used = 0;
}
