namespace Clickwise.Layers;

/// <summary>
/// Enumerates the P = F(F−1)/2 field pairs i &lt; j in row-major upper-triangle order:
/// (0,1), (0,2), …, (0,F−1), (1,2), …. This order indexes the FwFM pair weights.
/// </summary>
public static class FieldPairs
{
    public static int Count(int fieldCount) => fieldCount * (fieldCount - 1) / 2;

    /// <summary>The pair index of fields i &lt; j.</summary>
    public static int Index(int i, int j, int fieldCount)
    {
        if (i >= j || j >= fieldCount || i < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(i), $"need 0 <= i < j < {fieldCount}, got ({i}, {j}).");
        }

        return i * fieldCount - i * (i + 1) / 2 + (j - i - 1);
    }
}
