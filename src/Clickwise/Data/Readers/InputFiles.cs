using System.IO.Enumeration;

namespace Clickwise.Data.Readers;

/// <summary>
/// The files one data argument names: a file, <c>-</c> (stdin), a comma list (<c>day_0.gz,day_1.gz</c>) or globs
/// (<c>days/day_*.gz</c>), expanded here rather than by a shell so quoting and Windows behave the same. A glob's matches
/// are sorted in natural order (<c>day_2</c> before <c>day_10</c>), so a time-ordered series (Criteo 1TB's day_0..day_23)
/// stays in time order, which a sequential split relies on.
/// </summary>
public static class InputFiles
{
    private static readonly char[] Wildcards = ['*', '?'];

    /// <summary>
    /// The paths <paramref name="spec"/> names, in reading order. An existing file is itself even if its name holds a comma
    /// or a wildcard. Throws <see cref="FileNotFoundException"/> for a glob that matches nothing and
    /// <see cref="ArgumentException"/> for a list that is malformed (an empty item, stdin inside a list, a wildcard in a folder name).
    /// </summary>
    public static IReadOnlyList<string> Expand(string spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        if (spec == InputStreams.StdinName || File.Exists(spec))
        {
            return [spec];
        }

        var paths = new List<string>();
        foreach (string item in spec.Split(','))
        {
            string path = item.Trim();
            if (path.Length == 0 || path == InputStreams.StdinName)
            {
                throw new ArgumentException($"'{spec}': a list of input files takes file names or globs separated by commas"
                    + (path.Length == 0 ? ", not an empty one" : "; stdin ('-') is read alone"));
            }

            paths.AddRange(path.IndexOfAny(Wildcards) < 0 ? [path] : Glob(path));
        }

        return paths;
    }

    private static IEnumerable<string> Glob(string pattern)
    {
        string directory = Path.GetDirectoryName(pattern) ?? "";
        string name = Path.GetFileName(pattern);
        if (directory.IndexOfAny(Wildcards) >= 0)
        {
            throw new ArgumentException($"'{pattern}': wildcards go in the file name, not in a folder name");
        }

        string[] matches = Directory.Exists(directory.Length == 0 ? "." : directory)
            ? [.. Directory.EnumerateFiles(directory.Length == 0 ? "." : directory)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(file => FileSystemName.MatchesSimpleExpression(name, file, ignoreCase: false))
                .Order(NaturalOrder.Instance)
                .Select(file => directory.Length == 0 ? file : Path.Combine(directory, file))]
            : [];
        return matches.Length > 0 ? matches : throw new FileNotFoundException($"no file matches {pattern}");
    }
}
