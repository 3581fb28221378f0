using System.Runtime.CompilerServices;

namespace Clickwise.Features;

/// <summary>
/// The bucket token of a numeric value (<see cref="NumericBucketing"/>: ⌊ln(x)²⌋ written as decimal text), remembered for
/// the last value that fell in each of 1,024 slots. Count-like columns repeat a few small values, so most cells skip the
/// logarithm and the formatting. One per thread: a token is valid until the next call.
/// </summary>
internal sealed class BucketTokens
{
    private const int SlotBits = 10;
    private const int TokenBytes = 24; // a long's decimal text

    private readonly ulong[] _values = new ulong[1 << SlotBits];
    private readonly byte[] _lengths = new byte[1 << SlotBits]; // 0: empty (a token is never empty)
    private readonly byte[] _tokens = new byte[(1 << SlotBits) * TokenBytes];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Of(double number)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(number);
        int slot = (int)((bits * 0x9E3779B97F4A7C15UL) >> (64 - SlotBits));
        Span<byte> token = _tokens.AsSpan(slot * TokenBytes, TokenBytes);
        int length = _lengths[slot];
        if (length == 0 || _values[slot] != bits)
        {
            length = NumericBucketing.FormatToken(NumericBucketing.LogSquare(number), token);
            _values[slot] = bits;
            _lengths[slot] = (byte)length;
        }

        return token[..length];
    }
}
