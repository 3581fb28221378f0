using System.Runtime.CompilerServices;

namespace Clickwise.Data.Synthetic;

/// <summary>
/// A growable byte buffer that text rows are formatted into directly (digits and hex written as bytes, no
/// strings), then handed to the output stream in one write per chunk.
/// </summary>
internal sealed class Utf8Buffer
{
    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    private byte[] _bytes;

    public Utf8Buffer(int capacity) => _bytes = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    /// <summary>Makes room for <paramref name="count"/> more bytes; call once per row with a bound.</summary>
    public void Reserve(int count)
    {
        if (Length + count > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + count));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(byte b) => _bytes[Length++] = b;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
    }

    public void Append(long value)
    {
        if (value < 0)
        {
            Append((byte)'-');
            Append((ulong)-value);
        }
        else
        {
            Append((ulong)value);
        }
    }

    public void Append(ulong value)
    {
        int digits = CountDigits(value);
        int end = Length + digits;
        for (int i = end - 1; i >= Length; i--)
        {
            ulong quotient = value / 10;
            _bytes[i] = (byte)('0' + (value - quotient * 10));
            value = quotient;
        }

        Length = end;
    }

    /// <summary>Two decimal digits with a leading zero (dates).</summary>
    public void AppendTwoDigits(int value)
    {
        _bytes[Length++] = (byte)('0' + value / 10);
        _bytes[Length++] = (byte)('0' + value % 10);
    }

    /// <summary>Eight lowercase hex digits, like Criteo's hashed categories.</summary>
    public void AppendHex8(uint value)
    {
        Span<byte> target = _bytes.AsSpan(Length, 8);
        for (int i = 7; i >= 0; i--)
        {
            target[i] = HexDigits[(int)(value & 0xF)];
            value >>= 4;
        }

        Length += 8;
    }

    private static int CountDigits(ulong value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
