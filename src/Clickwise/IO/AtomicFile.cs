using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Clickwise.IO;

/// <summary>
/// Replaces a file so that a crash leaves either the old or the new content under its name, never a mix:
/// write a temp file in the same directory, fsync it, rename over the target, fsync the directory (without the
/// last step a crash can lose the rename). Temp files left by dead writers are removed on the next write.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes, and returns what it returns.</summary>
    public static T Write<T>(string path, Func<Stream, T> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory");
        string name = Path.GetFileName(full);
        ArgumentException.ThrowIfNullOrEmpty(name, nameof(path));
        Directory.CreateDirectory(directory);
        CleanStaleTemps(directory, name);

        string temp = Path.Combine(directory,
            $"{TempPrefix(name)}{Environment.ProcessId}-{Random.Shared.Next():x8}");
        T result;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                result = write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        FsyncDirectory(directory);
        return result;
    }

    /// <summary>
    /// A fresh temp path beside <paramref name="path"/> for a writer that streams for a long time (a data cache)
    /// and then calls <see cref="Commit"/>; stale temps of dead writers are removed first.
    /// </summary>
    public static string TempPathFor(string path)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory");
        string name = Path.GetFileName(full);
        Directory.CreateDirectory(directory);
        CleanStaleTemps(directory, name);
        return Path.Combine(directory, $"{TempPrefix(name)}{Environment.ProcessId}-{Random.Shared.Next():x8}");
    }

    /// <summary>Renames a finished, fsynced temp file over <paramref name="path"/> and makes the rename durable.</summary>
    public static void Commit(string temp, string path)
    {
        string full = Path.GetFullPath(path);
        File.Move(temp, full, overwrite: true);
        FsyncDirectory(Path.GetDirectoryName(full)!);
    }

    /// <summary>The temp-file prefix for a target name: <c>.tmp-&lt;name&gt;-</c>, followed by pid and a random suffix.</summary>
    public static string TempPrefix(string targetName) => $".tmp-{targetName}-";

    /// <summary>Deletes temp files (and <see cref="AtomicDirectory"/>'s temp directories) of <paramref name="targetName"/> whose writer process no longer runs.</summary>
    public static void CleanStaleTemps(string directory, string targetName)
    {
        string prefix = TempPrefix(targetName);
        foreach (string file in Directory.EnumerateFileSystemEntries(directory, prefix + "*"))
        {
            string rest = Path.GetFileName(file)[prefix.Length..];
            int dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(rest.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            if (pid != Environment.ProcessId && !IsRunning(pid))
            {
                TryDelete(file);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            if (Directory.Exists(file))
            {
                Directory.Delete(file, recursive: true);
            }
            else
            {
                File.Delete(file);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Makes a rename in <paramref name="directory"/> durable; .NET has no managed API for it.</summary>
    public static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // O_RDONLY (0) opens a directory on Linux; O_DIRECTORY's value differs between architectures.
        int fd = Open(directory, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
