using Clickwise.Tests.Cli;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Reliability;

/// <summary>
/// <c>synth</c>, <c>predict</c>, <c>train</c> and <c>prepare</c> killed (SIGKILL) at every write, fsync and rename they make,
/// and at random moments: the output's final name holds the previous artifact or a whole new one, never a part; the
/// same command run again succeeds (no stale lock, no leftover temp file).
/// </summary>
[Collection(ReliabilityTable.Collection)]
[Trait("Category", SharedData.Category)]
public sealed class KillTests(ReliabilityTable table) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>One verb under test: its arguments (run in a fresh case directory), how to lay down the previous artifact, and how to judge the output.</summary>
    private sealed record Verb(string Name, string[] Args, string Output, Action<string> Previous, Func<string, string?> Check);

    [Fact]
    public void AKilledWriterLeavesThePreviousArtifactOrAWholeNewOne()
    {
        string shared = _directory.File("shared");
        Directory.CreateDirectory(shared);
        string data = Path.Combine(shared, "d.tsv"), otherData = Path.Combine(shared, "other.tsv"), model = Path.Combine(shared, "lr.cwm");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "4", "-o", data);
        CliRunner.Expect(0, "synth", "--rows", "2000", "--seed", "5", "-o", otherData);
        CliRunner.Expect(0, "train", "-d", data, "--model", "lr", "--epochs", "1", "--batch-size", "256", "-o", model, "--quiet");
        string prepared = Path.Combine(shared, "other.prepared");
        CliRunner.Expect(0, "prepare", "-d", otherData, "-o", prepared);
        byte[] synthReference = Reference(["synth", "--rows", "3000", "--seed", "4", "-o", "out.tsv"], "out.tsv");
        byte[] predictReference = Reference(["predict", "-m", model, "-d", data, "-o", "out.txt"], "out.txt");
        byte[] previousText = "previous artifact\n"u8.ToArray();

        Verb[] verbs =
        [
            new("synth", ["synth", "--rows", "3000", "--seed", "4", "-o", "out.tsv"], "out.tsv",
                dir => File.WriteAllBytes(Path.Combine(dir, "out.tsv"), previousText),
                file => Is(file, previousText, synthReference)),
            new("predict", ["predict", "-m", model, "-d", data, "-o", "out.txt"], "out.txt",
                dir => File.WriteAllBytes(Path.Combine(dir, "out.txt"), previousText),
                file => Is(file, previousText, predictReference)),
            new("train", ["train", "-d", data, "--model", "lr", "--epochs", "2", "--batch-size", "256", "-o", "m.cwm", "--quiet"], "m.cwm",
                dir => File.Copy(model, Path.Combine(dir, "m.cwm")),
                Artifacts.ModelLoads),
            new("prepare", ["prepare", "-d", data, "-o", "p.prepared"], "p.prepared",
                dir => CopyDirectory(prepared, Path.Combine(dir, "p.prepared")),
                Artifacts.PreparedTrains),
        ];

        var cases = new List<FaultCase>();
        var random = new Random(23);
        foreach (Verb verb in verbs)
        {
            string probe = CaseDirectory(verb, "probe");
            Dictionary<string, int> counts = CliProcess.CountWrites(probe, verb.Args);
            foreach ((string syscall, int count) in counts)
            {
                for (int when = 1; when <= count; when++)
                {
                    string dir = CaseDirectory(verb, $"{syscall}-{when}");
                    cases.Add(Judge(verb, $"{verb.Name} killed at {syscall} #{when}", dir, CliProcess.RunKilledAt(dir, verb.Args, syscall, when)));
                }
            }

            for (int i = 0; i < 6; i++)
            {
                string dir = CaseDirectory(verb, $"timer-{i}");
                int delay = 60 + random.Next(500);
                cases.Add(Judge(verb, $"{verb.Name} killed after {delay} ms", dir, CliProcess.Run(dir, verb.Args, TimeSpan.FromMilliseconds(delay))));
            }
        }

        cases.ForEach(table.Add);
        Assert.True(cases.Count(c => c.Detail != "not killed") >= 80, $"only {cases.Count} kill cases");
        Assert.True(cases.All(c => c.Outcome == Outcome.Clear), ReliabilityTable.Failures(cases));
    }

    private string CaseDirectory(Verb verb, string name)
    {
        string dir = _directory.File($"{verb.Name}-{name}");
        Directory.CreateDirectory(dir);
        verb.Previous(dir);
        return dir;
    }

    /// <summary>The output after the kill, then the same command again in-process: it must finish and leave no temp file.</summary>
    private static FaultCase Judge(Verb verb, string name, string dir, ProcessResult killed)
    {
        string output = Path.Combine(dir, verb.Output);
        if (!killed.Killed && !Exits.Documented(killed.ExitCode))
        {
            return new FaultCase("kill -9", name, Outcome.Crash, $"exit {killed.ExitCode}: {killed.Error}");
        }

        if (verb.Check(output) is { } damage)
        {
            return new FaultCase("kill -9", name, Outcome.Lost, damage);
        }

        string saved = Directory.GetCurrentDirectory();
        CliResult again;
        try
        {
            Directory.SetCurrentDirectory(dir);
            string checkpoint = Path.Combine(dir, verb.Output + ".run", "checkpoint.cwm");
            again = CliRunner.Run(verb.Name == "train" && File.Exists(checkpoint) ? [.. verb.Args, "--resume", checkpoint] : verb.Args);
        }
        finally
        {
            Directory.SetCurrentDirectory(saved);
        }

        if (again.ExitCode != Exits.Success)
        {
            return new FaultCase("kill -9", name, Exits.Documented(again.ExitCode) ? Outcome.Lost : Outcome.Crash, $"the run after the kill: {again}");
        }

        string[] temps = [.. Directory.EnumerateFileSystemEntries(dir, ".tmp-*", SearchOption.AllDirectories)];
        if (temps.Length > 0)
        {
            return new FaultCase("kill -9", name, Outcome.Lost, $"temp files left after the next run: {string.Join(", ", temps)}");
        }

        return verb.Check(output) is { } after
            ? new FaultCase("kill -9", name, Outcome.Lost, $"after the next run: {after}")
            : new FaultCase("kill -9", name, Outcome.Clear, killed.Killed ? "" : "not killed");
    }

    private byte[] Reference(string[] args, string output)
    {
        string dir = _directory.File("reference-" + args[0]);
        Directory.CreateDirectory(dir);
        Assert.Equal(0, CliProcess.Run(dir, args).ExitCode);
        return File.ReadAllBytes(Path.Combine(dir, output));
    }

    private static string? Is(string file, byte[] previous, byte[] complete)
    {
        if (!File.Exists(file))
        {
            return "the output is gone";
        }

        byte[] bytes = File.ReadAllBytes(file);
        return bytes.AsSpan().SequenceEqual(previous) || bytes.AsSpan().SequenceEqual(complete)
            ? null
            : $"the output is neither the previous nor a whole new one ({bytes.Length:N0} bytes, whole: {complete.Length:N0})";
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
