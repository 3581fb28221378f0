using System.Diagnostics;
using Clickwise.Tests.Cli;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Reliability;

/// <summary>
/// <c>synth</c>, <c>predict</c>, <c>train</c> and <c>prepare</c> writing into a small tmpfs filled to leave from nothing to
/// most of what they need: each either finishes or exits 74 naming the path, leaves the previous artifact byte for byte and
/// no temp file behind, and runs once the space is back.
/// </summary>
[Collection(ReliabilityTable.Collection)]
[Trait("Category", SharedData.Category)]
public sealed class DiskFullTests(ReliabilityTable table) : IDisposable
{
    private const int MountBytes = 4 << 20;

    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        Unmount();
        _directory.Dispose();
    }

    private string Mount => _directory.File("small");

    [Fact]
    public void AFullDiskIsAnIOErrorThatKeepsThePreviousArtifact()
    {
        string data = _directory.File("d.tsv"), model = _directory.File("lr.cwm");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "4", "-o", data);
        CliRunner.Expect(0, "train", "-d", data, "--model", "lr", "--epochs", "1", "--batch-size", "256", "-o", model, "--quiet");
        Directory.CreateDirectory(Mount);
        Run("mount", "-t", "tmpfs", "-o", $"size={MountBytes}", "tmpfs", Mount);

        (string Name, string Output, string[] Args)[] verbs =
        [
            ("synth", "out.tsv", ["synth", "--rows", "3000", "--seed", "4", "-o", Path.Combine(Mount, "out.tsv")]),
            ("predict", "out.txt", ["predict", "-m", model, "-d", data, "-o", Path.Combine(Mount, "out.txt")]),
            ("train", "m.cwm", ["train", "-d", data, "--model", "lr", "--epochs", "1", "--batch-size", "256", "-o", Path.Combine(Mount, "m.cwm"), "--quiet"]),
            ("prepare", "p.prepared", ["prepare", "-d", data, "-o", Path.Combine(Mount, "p.prepared")]),
        ];
        var cases = new List<FaultCase>();
        foreach ((string verb, string output, string[] args) in verbs)
        {
            foreach (int free in new[] { 0, 1 << 10, 8 << 10, 32 << 10, 96 << 10, 256 << 10, 512 << 10, 1 << 20 })
            {
                cases.Add(Case(verb, output, args, model, free));
            }
        }

        cases.ForEach(table.Add);
        Assert.True(cases.Count(c => c.Detail == "ENOSPC") >= 20, $"too few cases hit the full disk: {string.Join(", ", cases.Select(c => c.Detail))}");
        Assert.True(cases.All(c => c.Outcome == Outcome.Clear), ReliabilityTable.Failures(cases));
    }

    private FaultCase Case(string verb, string output, string[] args, string model, int free)
    {
        string name = $"{verb} with {free:N0} bytes free";
        foreach (string entry in Directory.EnumerateFileSystemEntries(Mount))
        {
            Delete(entry);
        }

        // The previous artifact: a model where a model goes, text elsewhere; then fill the rest but `free` bytes.
        string target = Path.Combine(Mount, output);
        if (verb == "prepare")
        {
            Directory.CreateDirectory(target);
        }
        else if (verb == "train")
        {
            File.Copy(model, target);
        }
        else
        {
            File.WriteAllText(target, "previous artifact\n");
        }

        byte[] previous = verb == "prepare" ? [] : File.ReadAllBytes(target);
        long available = new DriveInfo(Mount).AvailableFreeSpace;
        File.WriteAllBytes(Path.Combine(Mount, "filler"), new byte[Math.Max(0, available - free)]);

        CliResult result = CliRunner.Run(args);
        if (!Exits.Documented(result.ExitCode))
        {
            return new FaultCase("disk full", name, Outcome.Crash, result.ToString());
        }

        bool full = result.ExitCode != Exits.Success;
        if (full && verb != "prepare" && !File.ReadAllBytes(target).AsSpan().SequenceEqual(previous))
        {
            return new FaultCase("disk full", name, Outcome.Lost, "the previous artifact changed");
        }

        string[] temps = [.. Directory.EnumerateFileSystemEntries(Mount, ".tmp-*", SearchOption.AllDirectories)];
        if (temps.Length > 0)
        {
            return new FaultCase("disk full", name, Outcome.Lost, $"temp files left on the full disk: {string.Join(", ", temps)}");
        }

        if (full && (result.ExitCode != Exits.IOError || !result.Error.Contains(Mount, StringComparison.Ordinal)))
        {
            return new FaultCase("disk full", name, Outcome.Unclear, result.ToString());
        }

        File.Delete(Path.Combine(Mount, "filler"));
        CliResult again = CliRunner.Run(args);
        return again.ExitCode == Exits.Success
            ? new FaultCase("disk full", name, Outcome.Clear, full ? "ENOSPC" : "fitted")
            : new FaultCase("disk full", name, Outcome.Lost, $"the run with space back: {again}");
    }

    private static void Delete(string entry)
    {
        if (Directory.Exists(entry))
        {
            Directory.Delete(entry, recursive: true);
        }
        else
        {
            File.Delete(entry);
        }
    }

    private void Unmount()
    {
        if (Directory.Exists(Mount))
        {
            Run("umount", Mount);
        }
    }

    private static void Run(string file, params string[] args)
    {
        using Process process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({error.Trim()}): the disk-full cases need root to mount a tmpfs");
    }
}
