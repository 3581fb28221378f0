using System.CommandLine;
using System.Text;
using Clickwise.Cli;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// The README's CLI examples are tests (conventions §10, Sep's ReadMeTest): every <c>clickwise …</c> line of the
/// "CLI" section parses, every verb has an example, and the examples run in order in an empty folder.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ReadMeTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryExampleParses()
    {
        IReadOnlyList<string[]> examples = Examples();
        Assert.True(examples.Count >= 7, $"only {examples.Count} examples in the README's CLI section");
        foreach (string[] args in examples)
        {
            ParseResult parsed = Program.BuildRoot().Parse(args);
            Assert.True(parsed.Errors.Count == 0,
                $"clickwise {string.Join(' ', args)}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
        }
    }

    [Fact]
    public void EveryVerbHasAnExample()
    {
        var documented = Examples().Select(a => a[0]).ToHashSet();
        string[] verbs = [.. Program.BuildRoot().Subcommands.Select(c => c.Name)];
        Assert.Equal(verbs.Order(), documented.Order());
    }

    [Fact]
    public void TheExamplesRunInOrderInAnEmptyFolder()
    {
        using var dir = new TempDirectory();
        string saved = Environment.CurrentDirectory;
        Environment.CurrentDirectory = dir.Path; // safe: the CLI collection runs alone
        try
        {
            foreach (string[] args in Examples())
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                CliRunner.Expect(0, args);
                output.WriteLine($"{clock.Elapsed.TotalSeconds,5:F1} s  clickwise {string.Join(' ', args)}");
            }
        }
        finally
        {
            Environment.CurrentDirectory = saved;
        }

        Assert.Equal(100_000, File.ReadLines(dir.File("predictions.txt")).Count());
    }

    /// <summary>The arguments of every line starting with "clickwise " inside bash blocks of the "## CLI" section.</summary>
    private static IReadOnlyList<string[]> Examples()
    {
        string[] lines = File.ReadAllLines(FindReadMe());
        int start = Array.FindIndex(lines, l => l.Trim() == "## CLI");
        Assert.True(start >= 0, "README.md has no '## CLI' section");
        var examples = new List<string[]>();
        bool inBash = false;
        for (int i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBash = !inBash && line == "```bash";
            }
            else if (inBash && line.StartsWith("clickwise ", StringComparison.Ordinal))
            {
                examples.Add(ShellWords(line["clickwise ".Length..]));
            }
        }

        return examples;
    }

    private static string FindReadMe()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(candidate) && Directory.Exists(Path.Combine(dir.FullName, "src", "Clickwise.Cli")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"README.md of the repository not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Splits a command line the way a POSIX shell does for plain words and single/double quotes.</summary>
    private static string[] ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        foreach (char c in line)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        Assert.True(quote == '\0', $"unbalanced quote in README example: clickwise {line}");
        if (inWord)
        {
            words.Add(word.ToString());
        }

        return [.. words];
    }
}
