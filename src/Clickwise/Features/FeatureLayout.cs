namespace Clickwise.Features;

/// <summary>
/// Where each field's ids live in the embedding row space: field f owns rows
/// [Offsets[f], Offsets[f] + Sizes[f]). This is all a model needs to know about the data; the fitted vocabulary
/// that produces these ids is the feature map's business.
/// </summary>
public sealed class FeatureLayout
{
    public FeatureLayout(IReadOnlyList<string> fieldNames, IReadOnlyList<int> fieldSizes)
    {
        if (fieldNames.Count != fieldSizes.Count)
        {
            throw new ArgumentException("fieldNames and fieldSizes differ in length.");
        }

        if (fieldNames.Count == 0)
        {
            throw new ArgumentException("A layout needs at least one field.");
        }

        FieldNames = fieldNames.ToArray();
        Sizes = fieldSizes.ToArray();
        Offsets = new int[Sizes.Length];
        long total = 0;
        for (int f = 0; f < Sizes.Length; f++)
        {
            if (Sizes[f] < 1)
            {
                throw new ArgumentException($"field '{FieldNames[f]}' has size {Sizes[f]}; every field needs at least one row.");
            }

            Offsets[f] = checked((int)total);
            total += Sizes[f];
        }

        TotalRows = checked((int)total);
    }

    public IReadOnlyList<string> FieldNames { get; }

    public int FieldCount => Sizes.Length;

    public int[] Sizes { get; }

    public int[] Offsets { get; }

    /// <summary>Σ sizes: the row count of a shared embedding table.</summary>
    public int TotalRows { get; }

    /// <summary>The field a global row belongs to.</summary>
    public int FieldOf(int row)
    {
        int lo = 0, hi = Offsets.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (Offsets[mid] <= row) lo = mid; else hi = mid - 1;
        }

        return lo;
    }
}
