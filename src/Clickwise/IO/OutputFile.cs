namespace Clickwise.IO;

/// <summary>
/// The one way every output file is written. A regular file (or a path where nothing is yet) is replaced
/// atomically through <see cref="AtomicFile"/>; through a symlink, the file it points to is replaced and the link kept.
/// A character device (<c>/dev/null</c>, a terminal) or a FIFO is written in place as a stream: renaming a temp file
/// over it would replace the device node itself, and a pipe's reader would never see the data. A write error there
/// (ENOSPC on <c>/dev/full</c>, EPIPE) surfaces as an <see cref="IOException"/>. So is a path that names an open
/// descriptor (<c>/dev/stdout</c>, <c>/dev/fd/N</c>), whatever it is open on.
/// </summary>
public static class OutputFile
{
    public static void Write(string path, Action<Stream> write) => Write(path, stream =>
    {
        write(stream);
        return true;
    });

    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/> and returns what it returns.</summary>
    public static T Write<T>(string path, Func<Stream, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        FileIdentity target = FileIdentity.Of(path);
        if (NamesADescriptor(path) && target.Kind is FileKind.Regular)
        {
            // -o /dev/stdout redirected to a file: the output is what the descriptor is open on; replacing that file
            // would leave the descriptor on an unlinked inode. Reopening gives a fresh offset, so append after
            // whatever was already written there (a '>>' file, or earlier output of this process).
            return WriteInPlace(path, write, FileMode.Append);
        }

        return target.Kind switch
        {
            FileKind.CharacterDevice or FileKind.Fifo => WriteInPlace(path, write, FileMode.Open),
            FileKind.Missing => AtomicFile.Write(path, write),
            FileKind.Regular => AtomicFile.Write(LinkTarget(path), write),
            FileKind.Directory => throw new IOException($"'{path}' is a directory; an output needs a file name"),
            _ => throw new IOException($"'{path}' is neither a regular file, a character device nor a FIFO; it cannot be an output"),
        };
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    private static T WriteInPlace<T>(string path, Func<Stream, T> write, FileMode mode)
    {
        // Open or Append: nothing is created or truncated; FileShare.ReadWrite: no flock on a node others share.
        using var stream = new FileStream(path, mode, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
        T result = write(stream);
        stream.Flush(); // inside the caller's try: a full device fails here, not silently in Dispose
        return result;
    }

    /// <summary>Whether <paramref name="path"/> names an open descriptor: <c>/dev/stdout</c>, <c>/dev/fd/N</c>, <c>/proc/self/fd/N</c>.</summary>
    public static bool NamesADescriptor(string path)
    {
        string full = Path.GetFullPath(path);
        return OperatingSystem.IsLinux()
            && (full is "/dev/stdout" or "/dev/stderr"
                || full.StartsWith("/dev/fd/", StringComparison.Ordinal)
                || full.StartsWith("/proc/self/fd/", StringComparison.Ordinal));
    }

    /// <summary>The existing file a symlink finally points to (which the rename must replace), or the path itself.</summary>
    private static string LinkTarget(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
}
