using Clickwise.Data;

namespace Clickwise.Features;

/// <summary>The one place that decides which bytes of a field are its category token (shared by fitting and encoding).</summary>
internal static class FieldToken
{
    /// <summary>Scratch a bucketed numeric token needs: a long's decimal text.</summary>
    public const int ScratchBytes = 24;

    /// <summary>
    /// The token of <paramref name="field"/>: the raw bytes, or for a bucketed numeric field the decimal text of its
    /// bucket written into <paramref name="scratch"/>. False when the field is missing.
    /// </summary>
    public static bool TryGet(RawRecord record, int field, bool buckets, Span<byte> scratch, out ReadOnlySpan<byte> token)
    {
        if (record.IsMissing(field))
        {
            token = default;
            return false;
        }

        if (buckets)
        {
            int length = NumericBucketing.FormatToken(NumericBucketing.LogSquare(record.Number(field)), scratch);
            token = scratch[..length];
            return true;
        }

        token = record.Token(field);
        return true;
    }
}
