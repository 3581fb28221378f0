using System.Collections.Concurrent;
using System.Text;

namespace Clickwise.Tests.Reliability;

/// <summary>What one fault-injection case showed, in the terms.</summary>
public enum Outcome
{
    /// <summary>A README exit code, a message naming the file (and line), outputs whole or untouched.</summary>
    Clear,

    /// <summary>The right code and nothing lost, but the message does not name the file (or the line).</summary>
    Unclear,

    /// <summary>Exit 1 ("a bug") or a code outside README's table.</summary>
    Crash,

    /// <summary>Exit 0 with a wrong answer: bad input accepted, rows dropped or misaligned.</summary>
    Silent,

    /// <summary>A partial file under a final name, or the previous artifact damaged.</summary>
    Lost,
}

/// <summary>One case: its family (parser, model file, kill, …), a name that reproduces it, and what it showed.</summary>
public sealed record FaultCase(string Family, string Name, Outcome Outcome, string Detail = "");

/// <summary>
/// Every case the harness ran, written as the project's reliability table (Markdown) when the collection ends: to
/// <c>CLICKWISE_RELIABILITY_TABLE</c> when set (CI prints it; benchmarks/ keeps a committed copy), else to the temp folder.
/// </summary>
public sealed class ReliabilityTable : IDisposable
{
    public const string Collection = "Reliability harness (real processes, mounts, the console)";

    private readonly ConcurrentQueue<FaultCase> _cases = new();

    public void Add(FaultCase fault) => _cases.Enqueue(fault);

    /// <summary>The cases of <paramref name="family"/> that were not clear, for a test's failure message.</summary>
    public static string Failures(IEnumerable<FaultCase> cases) =>
        string.Join('\n', cases.Where(c => c.Outcome != Outcome.Clear).Take(25).Select(c => $"{c.Outcome} {c.Name}: {c.Detail}"));

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| family | tried | clear | unclear | crash (exit 1) | silent | lost |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        void Row(string name, IReadOnlyCollection<FaultCase> rows)
        {
            string Count(Outcome o) => rows.Count(c => c.Outcome == o).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
            text.AppendLine($"| {name} | {rows.Count:N0} | {Count(Outcome.Clear)} | {Count(Outcome.Unclear)} | {Count(Outcome.Crash)} | "
                + $"{Count(Outcome.Silent)} | {Count(Outcome.Lost)} |");
        }

        FaultCase[] all = [.. _cases];
        foreach (IGrouping<string, FaultCase> family in all.GroupBy(c => c.Family).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Row(family.Key, [.. family]);
        }

        Row("**all**", all);
        return text.ToString();
    }

    public void Dispose()
    {
        string path = Environment.GetEnvironmentVariable("CLICKWISE_RELIABILITY_TABLE") is { Length: > 0 } target
            ? target
            : Path.Combine(Path.GetTempPath(), "clickwise-reliability.md");
        File.WriteAllText(path, Markdown());
    }
}

/// <summary>
/// The harness's tests share the table and run alone: they redirect the console (in-process runs), mount a small tmpfs
/// and start real processes under strace.
/// </summary>
[CollectionDefinition(ReliabilityTable.Collection, DisableParallelization = true)]
public sealed class ReliabilityCollection : ICollectionFixture<ReliabilityTable>;
