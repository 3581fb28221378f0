namespace Clickwise.Tests.Reliability;

/// <summary>
/// Real sample lines of one input format from <c>../shared/data</c>: the flags that read them, the header (if the format
/// has one), the data lines, the delimiter (none for libsvm/libffm) and which columns hold the label and numbers.
/// </summary>
internal sealed record FormatSample(string Format, string[] Flags, string? Header, IReadOnlyList<string> Lines, char? Delimiter,
                                    int LabelColumn, IReadOnlyList<int> NumericColumns)
{
    private const int Rows = 240;

    public bool Sparse => Delimiter is null;

    /// <summary>The file's text: the header (if any) and the lines, each ending in a newline.</summary>
    public string Text(IEnumerable<string> lines) => string.Concat((Header is null ? lines : lines.Prepend(Header)).Select(l => l + "\n"));

    /// <summary>The 1-based file line of data line <paramref name="index"/> (0-based).</summary>
    public int FileLine(int index) => index + (Header is null ? 1 : 2);

    /// <summary>One sample per format the CLI reads.</summary>
    public static IReadOnlyList<FormatSample> All()
    {
        string[] kaggle = File.ReadLines(SharedData.Path("criteo_kaggle2014_tiny/train.tiny.csv")).Take(Rows + 1).ToArray();
        string[] criteoCsv = File.ReadLines(SharedData.Path("criteo_deepctr_sample/criteo_sample.txt")).Take(Rows + 1).ToArray();
        string[] avazu = File.ReadLines(SharedData.Path("avazu_kaggle2014_tiny/va.rx.csv")).Take(Rows + 1).ToArray();
        string names(char prefix, int count) => string.Join(',', Enumerable.Range(1, count).Select(i => $"{prefix}{i}"));
        int[] criteoNumbers = [.. Enumerable.Range(1, 13)];
        return
        [
            // Criteo's own TSV: the Kaggle rows without their Id column, tab-separated, no header.
            new("criteo", ["--format", "criteo"], null, [.. kaggle.Skip(1).Select(l => string.Join('\t', l.Split(',').Skip(1)))], '\t', 0, criteoNumbers),
            new("criteo-csv", ["--format", "criteo-csv"], kaggle[0], kaggle[1..], ',', 1, [.. criteoNumbers.Select(c => c + 1)]),
            new("avazu", ["--format", "avazu"], avazu[0], avazu[1..], ',', 1, []),
            new("deeplight", ["--format", "deeplight"], null,
                [.. File.ReadLines(SharedData.Path("criteo_deeplight_tiny/tiny_train_input.csv")).Take(Rows)], ',', 0, []),
            new("csv", ["--format", "csv", "--numeric", names('I', 13), "--categorical", names('C', 26)], criteoCsv[0], criteoCsv[1..], ',', 0, criteoNumbers),
            new("libsvm", ["--format", "libsvm"], null, [.. File.ReadLines(SharedData.Path("frappe/frappe.test.libfm")).Take(Rows)], null, 0, []),
            new("libffm", ["--format", "libffm"], null, [.. File.ReadLines(SharedData.Path("criteo_xlearn_libffm/small_train.txt")).Take(Rows)], null, 0, []),
        ];
    }
}
