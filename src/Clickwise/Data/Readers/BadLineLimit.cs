using System.Globalization;

namespace Clickwise.Data.Readers;

/// <summary>
/// Lenient mode's limit on bad lines in one file: once <see cref="ReaderOptions.MinLinesForRatio"/> lines are read (or at
/// the end), more than <see cref="ReaderOptions.MaxBadRatio"/> of them skipped stops the read.
/// </summary>
internal readonly record struct BadLineLimit(double MaxBadRatio, long MinLinesForRatio)
{
    /// <summary>Throws when <paramref name="skipped"/> of <paramref name="read"/> lines pass the limit; <paramref name="line"/> is where (0: the end).</summary>
    public void Check(string source, long line, long skipped, long read, bool atEnd)
    {
        if (skipped == 0 || (!atEnd && read < MinLinesForRatio) || skipped <= MaxBadRatio * read)
        {
            return;
        }

        string limit = (MaxBadRatio * 100).ToString("0.###", CultureInfo.InvariantCulture);
        throw new DataFormatException(source, line, $"too many bad lines: {skipped} of {read} (limit {limit}%)");
    }
}
