using Clickwise.Data;

namespace Clickwise.Features;

/// <summary>The one place that decides which bytes of a field are its category token (shared by fitting and encoding).</summary>
internal static class FieldToken
{
    /// <summary>
    /// The token of <paramref name="field"/>: the raw bytes, or for a bucketed numeric field the decimal text of its
    /// bucket (from <paramref name="buckets"/>, valid until its next call). False when the field is missing.
    /// </summary>
    public static bool TryGet(RawRecord record, int field, BucketTokens? buckets, out ReadOnlySpan<byte> token)
    {
        if (record.IsMissing(field))
        {
            token = default;
            return false;
        }

        token = buckets is null ? record.Token(field) : buckets.Of(record.Number(field));
        return true;
    }
}
