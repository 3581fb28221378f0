using System.Runtime.InteropServices;

namespace Clickwise.Data.Cache;

/// <summary>
/// Writes that either land whole or not at all: write a temp file beside the target, fsync it, rename over the
/// target. A crash leaves the old file (or none), never a half-written one.
/// </summary>
internal static partial class AtomicFile
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

    /// <summary>
    /// Makes the rename itself durable: fsync of the directory (Linux/macOS). .NET refuses to open a directory as a
    /// file handle, so this goes through libc's open/fsync/close; on Windows the rename is already journaled.
    /// </summary>
    private static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = Native.Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            // Some file systems refuse to open directories; the data itself is already fsynced.
            return;
        }

        _ = Native.FSync(fd);
        _ = Native.Close(fd);
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync")]
        public static partial int FSync(int fd);

        [LibraryImport("libc", EntryPoint = "close")]
        public static partial int Close(int fd);
    }
}
