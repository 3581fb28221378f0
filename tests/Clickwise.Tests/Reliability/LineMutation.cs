using System.Text;

namespace Clickwise.Tests.Reliability;

/// <summary>
/// One damaged input: its name, the mutated file's bytes, and the 1-based file line a strict reader must refuse
/// (null: the damage may or may not leave a valid file, and the harness checks invariants instead).
/// </summary>
internal sealed record MutatedInput(string Name, byte[] Bytes, int? BadLine);

/// <summary>
/// The mutations of real sample lines: ones that make a line invalid in every reading (a text label, a missing or extra
/// column, NaN or out-of-range numbers, a bad sparse token, an over-long or empty line), and blind ones (byte flips,
/// stray quotes, truncations, garbage bytes, CRLF, a BOM, a damaged header) whose result the harness cannot predict.
/// </summary>
internal static class LineMutation
{
    public static IEnumerable<MutatedInput> Of(FormatSample sample, int seed)
    {
        var random = new Random(seed);
        int n = sample.Lines.Count;
        int[] positions = [0, 1, n / 3, n / 2, n - 2, n - 1];
        foreach (int at in positions)
        {
            foreach ((string kind, Func<string, string?> edit) in Invalidating(sample, random))
            {
                string line = sample.Lines[at];
                if (edit(line) is { } bad)
                {
                    yield return Replace(sample, $"{kind}@{sample.FileLine(at)}", at, bad, sample.FileLine(at));
                }
            }

            yield return Insert(sample, $"empty-line@{sample.FileLine(at)}", at, "", sample.FileLine(at));
        }

        yield return Replace(sample, $"too-long@{sample.FileLine(n / 2)}", n / 2, sample.Lines[n / 2] + new string('7', 1 << 20), sample.FileLine(n / 2));

        for (int i = 0; i < 60; i++)
        {
            int at = random.Next(n);
            string kind = (i % 6) switch { 0 or 1 or 2 => "flip", 3 => "quote", 4 => "truncate", _ => "garbage" };
            byte[] line = Encoding.UTF8.GetBytes(sample.Lines[at]);
            int pos = random.Next(line.Length);
            byte[] damaged = kind switch
            {
                "flip" => Flip(line, pos, (byte)(1 << random.Next(8))),
                "quote" => [.. line[..pos], (byte)'"', .. line[pos..]],
                "truncate" => line[..pos],
                _ => [.. line[..pos], .. Enumerable.Range(0, 1 + random.Next(4)).Select(_ => (byte)random.Next(256)), .. line[pos..]],
            };
            yield return new MutatedInput($"{kind}@{sample.FileLine(at)}:{pos}", Join(sample, at, damaged, insert: false), null);
        }

        yield return new MutatedInput("crlf", Encoding.UTF8.GetBytes(sample.Text(sample.Lines).Replace("\n", "\r\n", StringComparison.Ordinal)), null);
        yield return new MutatedInput("bom", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(sample.Text(sample.Lines))], null);
        yield return new MutatedInput("no-final-newline", Encoding.UTF8.GetBytes(sample.Text(sample.Lines).TrimEnd('\n')), null);
        if (sample.Header is { } header)
        {
            for (int i = 0; i < 4; i++)
            {
                byte[] text = Encoding.UTF8.GetBytes(sample.Text(sample.Lines));
                int pos = random.Next(header.Length);
                yield return new MutatedInput($"header-flip:{pos}", Flip(text, pos, (byte)(1 << random.Next(8))), null);
            }
        }
    }

    /// <summary>Edits that no reading of the format accepts; null where the edit does not apply to this format.</summary>
    private static IEnumerable<(string Kind, Func<string, string?> Edit)> Invalidating(FormatSample sample, Random random)
    {
        yield return ("label-text", line => SetColumn(sample, line, sample.LabelColumn, "yes"));
        yield return ("label-2", line => SetColumn(sample, line, sample.LabelColumn, "2"));
        if (sample.Sparse)
        {
            yield return ("bad-token", line => line + " abc");
            yield return ("nan-value", line => SparseValue(line, "nan"));
            yield return ("huge-value", line => SparseValue(line, "3e38"));
            // libsvm pools features past the last field into it (a bag of any length), so only fewer features are bad.
            yield return sample.Format == "libffm"
                ? ("field-past-the-last", line => line + " 999:1:1")
                : ("missing-feature", line => line[..line.LastIndexOf(' ')]);
        }
        else
        {
            yield return ("missing-column", line => line[..line.LastIndexOf(sample.Delimiter!.Value)]);
            yield return ("extra-column", line => line + sample.Delimiter + "x");
            if (sample.NumericColumns.Count > 0)
            {
                int column = sample.NumericColumns[random.Next(sample.NumericColumns.Count)];
                yield return ("nan-number", line => SetColumn(sample, line, column, "NaN"));
                yield return ("infinite-number", line => SetColumn(sample, line, column, "-Infinity"));
                yield return ("text-number", line => SetColumn(sample, line, column, "12abc"));
            }
        }
    }

    private static string SetColumn(FormatSample sample, string line, int column, string value)
    {
        char delimiter = sample.Delimiter ?? ' ';
        string[] cells = line.Split(delimiter);
        cells[column] = value;
        return string.Join(delimiter, cells);
    }

    private static string SparseValue(string line, string value)
    {
        string[] tokens = line.Split(' ');
        int last = tokens[1].LastIndexOf(':');
        tokens[1] = tokens[1][..(last + 1)] + value;
        return string.Join(' ', tokens);
    }

    private static byte[] Flip(byte[] bytes, int pos, byte mask)
    {
        byte[] copy = [.. bytes];
        copy[pos] ^= mask;
        return copy;
    }

    private static MutatedInput Replace(FormatSample sample, string name, int at, string line, int badLine) =>
        new(name, Join(sample, at, Encoding.UTF8.GetBytes(line), insert: false), badLine);

    private static MutatedInput Insert(FormatSample sample, string name, int at, string line, int badLine) =>
        new(name, Join(sample, at, Encoding.UTF8.GetBytes(line), insert: true), badLine);

    private static byte[] Join(FormatSample sample, int at, byte[] line, bool insert)
    {
        var bytes = new List<byte>();
        void Add(string text) => bytes.AddRange(Encoding.UTF8.GetBytes(text + "\n"));
        if (sample.Header is { } header)
        {
            Add(header);
        }

        for (int i = 0; i < sample.Lines.Count; i++)
        {
            if (i == at)
            {
                bytes.AddRange(line);
                bytes.Add((byte)'\n');
                if (!insert)
                {
                    continue;
                }
            }

            Add(sample.Lines[i]);
        }

        return [.. bytes];
    }

    /// <summary>The data lines of a file (after its header), as a reader frames them: split at \n, a last line without one counted.</summary>
    public static int DataLines(byte[] bytes, bool header)
    {
        int lines = bytes.Count(b => b == (byte)'\n') + (bytes.Length > 0 && bytes[^1] != (byte)'\n' ? 1 : 0);
        return lines - (header ? 1 : 0);
    }
}
