using System.Runtime.InteropServices;

namespace Clickwise.IO;

/// <summary>
/// Replaces a directory the way <see cref="AtomicFile"/> replaces a file: build it under a temp name beside the target,
/// then swap it in with one <c>renameat2(RENAME_EXCHANGE)</c>, so a crash leaves the old directory or the new one under
/// the name, never a half-written mix. The old one, now under the temp name, is then deleted; a dead writer's temp
/// directory is deleted by the next writer.
/// </summary>
public static partial class AtomicDirectory
{
    private const int AtFdCwd = -100, RenameExchange = 2;

    /// <summary>A new, empty temp directory beside <paramref name="path"/> to build the replacement in.</summary>
    public static string StagingFor(string path)
    {
        string staging = AtomicFile.TempPathFor(Path.TrimEndingDirectorySeparator(path));
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>Puts the finished <paramref name="staging"/> directory under <paramref name="path"/>, replacing what was there.</summary>
    public static void Publish(string staging, string path)
    {
        string full = Path.GetFullPath(Path.TrimEndingDirectorySeparator(path));
        string parent = Path.GetDirectoryName(full)!;
        AtomicFile.FsyncDirectory(staging);
        bool moved = !Directory.Exists(full) && TryMove(staging, full);
        if (!moved && OperatingSystem.IsLinux() && Exchange(staging, full) == 0)
        {
            Directory.Delete(staging, recursive: true); // the old directory, swapped out
        }
        else if (!moved)
        {
            // No atomic exchange here (another OS, or a file system without it): the narrowest two-rename window.
            string old = AtomicFile.TempPathFor(full);
            Directory.Move(full, old);
            Directory.Move(staging, full);
            Directory.Delete(old, recursive: true);
        }

        AtomicFile.FsyncDirectory(parent);
    }

    /// <summary>Moves into a free name; false when another writer published there first (then this one replaces it).</summary>
    private static bool TryMove(string staging, string full)
    {
        try
        {
            Directory.Move(staging, full);
            return true;
        }
        catch (IOException) when (Directory.Exists(full) && Directory.Exists(staging))
        {
            return false;
        }
    }

    private static int Exchange(string from, string to) => RenameAt2(AtFdCwd, from, AtFdCwd, to, RenameExchange);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
