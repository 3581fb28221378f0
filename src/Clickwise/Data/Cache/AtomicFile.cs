namespace Clickwise.Data.Cache;

/// <summary>
/// Writes that either land whole or not at all: write a temp file beside the target, fsync it, rename over the
/// target. A crash leaves the old file (or none), never a half-written one.
/// </summary>
internal static class AtomicFile
{
    /// <summary>A temp path in the target's folder (rename is atomic only within one file system).</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        string temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            Commit(temp, path);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Renames a finished, flushed temp file over <paramref name="path"/>.</summary>
    public static void Commit(string temp, string path)
    {
        File.Move(temp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Makes the rename itself durable where the OS allows opening a directory (Linux); elsewhere a no-op.</summary>
    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            using var handle = File.OpenHandle(directory, FileMode.Open, FileAccess.Read);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Some file systems refuse to open directories; the data itself is already fsynced.
        }
    }
}
