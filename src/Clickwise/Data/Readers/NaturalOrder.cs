namespace Clickwise.Data.Readers;

/// <summary>File names compared with their digit runs as numbers: <c>day_2</c> &lt; <c>day_10</c>, ordinal otherwise.</summary>
internal sealed class NaturalOrder : IComparer<string>
{
    public static NaturalOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return string.CompareOrdinal(x, y);
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                int endX = DigitsEnd(x, i), endY = DigitsEnd(y, j);
                ReadOnlySpan<char> a = x.AsSpan(i, endX - i).TrimStart('0'), b = y.AsSpan(j, endY - j).TrimStart('0');
                int byValue = a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
                if (byValue != 0)
                {
                    return byValue;
                }

                i = endX;
                j = endY;
                continue;
            }

            if (x[i] != y[j])
            {
                return x[i].CompareTo(y[j]);
            }

            i++;
            j++;
        }

        // Equal up to the shorter one: the shorter first, and names equal by value (day_01, day_1) in ordinal order.
        int byLength = (x.Length - i).CompareTo(y.Length - j);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }

    private static int DigitsEnd(string text, int start)
    {
        int end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        return end;
    }
}
