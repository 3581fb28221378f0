namespace Clickwise.Kernels;

/// <summary>
/// The features past the first of each (row, field) lookup of a batch — the rest of a multi-hot field — in CSR form:
/// lookup n = b·F + f owns entries e in [Offsets[n], Offsets[n + 1]) of <see cref="Ids"/> and <see cref="Values"/>.
/// Offsets are absolute, so a range of lookups slices the offsets only. Empty for one-hot batches, which then run
/// exactly the code they ran before multi-hot fields existed.
/// </summary>
public readonly ref struct ExtraLookups
{
    public ExtraLookups(ReadOnlySpan<int> offsets, ReadOnlySpan<int> ids, ReadOnlySpan<float> values)
    {
        if (!offsets.IsEmpty && (ids.Length < offsets[^1] || values.Length < offsets[^1]))
        {
            throw new ArgumentException($"offsets reach entry {offsets[^1]}, ids has {ids.Length} and values {values.Length}");
        }

        Offsets = offsets;
        Ids = ids;
        Values = values;
    }

    /// <summary>[N + 1] entry offsets of N lookups; empty when no lookup has extra features.</summary>
    public ReadOnlySpan<int> Offsets { get; }

    /// <summary>[E] global row ids of the extra features.</summary>
    public ReadOnlySpan<int> Ids { get; }

    /// <summary>[E] their values (mean pooling already divided them by the field's feature count).</summary>
    public ReadOnlySpan<float> Values { get; }

    public bool IsEmpty => Offsets.IsEmpty;

    /// <summary>Lookups [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>); empty stays empty.</summary>
    public ExtraLookups Slice(int first, int count) => IsEmpty ? default : new(Offsets.Slice(first, count + 1), Ids, Values);
}
