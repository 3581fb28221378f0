namespace Clickwise.Data.Synthetic;

/// <summary>
/// Turns a field's category rank into its token. Tokens depend only on the field, not on the seed, so files
/// generated with different seeds share a vocabulary the way different days of a real log do.
/// </summary>
internal sealed class CategoryText
{
    /// <summary>A prime: rank · 7919 mod span is injective while span is not a multiple of it.</summary>
    public const long RangeMultiplier = 7919;

    private readonly byte[][] _head;
    private readonly TokenStyle _style;
    private readonly uint _salt;
    private readonly long[] _values;
    private readonly long _base;
    private readonly long _span;

    public CategoryText(SyntheticField field, int fieldIndex)
    {
        _head = field.Head.Select(t => System.Text.Encoding.UTF8.GetBytes(t)).ToArray();
        _style = field.Style;
        _salt = (uint)Mix.SplitMix(0xC1C4u + (ulong)fieldIndex);
        _values = field.IntValues.ToArray();
        _base = field.RangeBase;
        _span = field.RangeSpan;
    }

    public void Write(Utf8Buffer buffer, long rank)
    {
        if (rank < _head.Length)
        {
            buffer.Append(_head[rank]);
            return;
        }

        switch (_style)
        {
            case TokenStyle.Hex:
                buffer.AppendHex8(Mix.Permute32((uint)rank, _salt));
                break;
            case TokenStyle.IntList:
                buffer.Append(_values[rank]);
                break;
            default:
                buffer.Append(_base + rank * RangeMultiplier % _span);
                break;
        }
    }
}
