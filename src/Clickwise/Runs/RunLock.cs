namespace Clickwise.Runs;

/// <summary>
/// An exclusive lock on a run directory (<c>&lt;output&gt;.run/lock</c>), held for a whole <c>train</c> (and on a study's
/// or quickstart's output directory for the whole study): two runs on one output would otherwise share its cache,
/// checkpoint and <c>metrics.jsonl</c> and leave one run's model beside the other's metrics. The lock is the open file itself (<see cref="FileShare.None"/>, which .NET takes with <c>flock</c> on Unix),
/// so the kernel drops it when the process dies, even by <c>kill -9</c>: a stale lock file never blocks a later run.
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = "lock";

    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of <paramref name="runDirectory"/> (creating it), or fails at once when another run holds it.</summary>
    public static RunLock Acquire(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        string path = Path.Combine(runDirectory, FileName);
        try
        {
            return new RunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new RunInUseException($"{runDirectory} is in use by another run (it holds {path}); wait for it to finish, "
                + "or give this run another -o or --workdir", e);
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>Another process holds the run directory's <see cref="RunLock"/>.</summary>
public sealed class RunInUseException(string message, Exception inner) : IOException(message, inner);
