using System.Diagnostics;

namespace Clickwise.Tests.Reliability;

/// <summary>What a real <c>clickwise</c> process returned; <see cref="Killed"/> when SIGKILL ended it.</summary>
internal sealed record ProcessResult(int ExitCode, string Error)
{
    public const int KilledCode = 128 + 9;

    public bool Killed => ExitCode == KilledCode;
}

/// <summary>
/// Runs the CLI as a real process (kills and races need one): plainly, killed after a delay, or under strace with
/// SIGKILL injected at the N-th call of one syscall (<c>strace -e inject=SYSCALL:signal=KILL:when=N</c>).
/// </summary>
internal static class CliProcess
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "Clickwise.Cli");

    /// <summary>The syscalls a write goes through, from the first byte to the rename that publishes it.</summary>
    public static readonly string[] WriteSyscalls = ["write", "pwrite64", "fsync", "rename"];

    public static ProcessResult Run(string directory, IReadOnlyList<string> args, TimeSpan? killAfter = null) =>
        Start(directory, Executable, args, killAfter);

    /// <summary>Runs the CLI under a launcher, e.g. <c>mpirun -np 2</c>: <paramref name="launcher"/>[0] is the program, the rest its arguments.</summary>
    public static ProcessResult RunUnder(string directory, IReadOnlyList<string> launcher, IReadOnlyList<string> args) =>
        Start(directory, launcher[0], [.. launcher.Skip(1), Executable, .. args], null);

    /// <summary>Runs with SIGKILL at the <paramref name="when"/>-th <paramref name="syscall"/> of any thread.</summary>
    public static ProcessResult RunKilledAt(string directory, IReadOnlyList<string> args, string syscall, int when) =>
        Start(directory, "strace", ["-f", "-qq", "-o", "/dev/null", "-e", $"trace={syscall}", "-e", $"inject={syscall}:signal=KILL:when={when}", Executable, .. args], null);

    /// <summary>How many times a run calls each of <see cref="WriteSyscalls"/> (strace -c), to kill it at each one.</summary>
    public static Dictionary<string, int> CountWrites(string directory, IReadOnlyList<string> args)
    {
        string log = Path.Combine(directory, "strace.log");
        ProcessResult result = Start(directory, "strace", ["-f", "-qq", "-o", log, "-e", $"trace={string.Join(',', WriteSyscalls)}", Executable, .. args], null);
        Assert.True(result.ExitCode == 0, $"the traced run failed: {result}");
        var counts = WriteSyscalls.ToDictionary(s => s, _ => 0);
        foreach (string line in File.ReadLines(log))
        {
            // "pid syscall(args) = result", or "pid <... syscall resumed>" for a call another thread interrupted.
            string call = line[(line.IndexOf(' ') + 1)..].TrimStart('<', '.', ' ');
            string name = call[..Math.Max(0, call.IndexOfAny(['(', ' ']))];
            if (counts.ContainsKey(name) && !line.Contains("resumed>", StringComparison.Ordinal))
            {
                counts[name]++;
            }
        }

        File.Delete(log);
        return counts;
    }

    private static ProcessResult Start(string directory, string file, IReadOnlyList<string> args, TimeSpan? killAfter)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        if (killAfter is { } delay && !process.WaitForExit(delay))
        {
            process.Kill(entireProcessTree: true);
        }

        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"clickwise {string.Join(' ', args)} ran past 3 minutes");
        }

        process.WaitForExit();
        _ = output.Result;
        return new ProcessResult(process.ExitCode, error.Result);
    }
}
