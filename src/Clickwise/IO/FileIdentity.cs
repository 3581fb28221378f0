using System.Runtime.InteropServices;

namespace Clickwise.IO;

/// <summary>
/// What a path names after symlinks, and which file that is: two paths name one file when their device and inode
/// agree, which catches hard links, <c>..</c>, bind mounts and symlinks that no comparison of path strings sees.
/// </summary>
/// <remarks>
/// On Linux this is <c>statx(2)</c>, whose buffer layout is the same on every architecture (unlike <c>struct stat</c>).
/// Elsewhere the identity is the full path with its final symlink target resolved.
/// </remarks>
public readonly partial record struct FileIdentity(FileKind Kind, ulong Device, ulong Inode, string FullPath)
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1, StatxIno = 0x100;
    private const int Enoent = 2, Enotdir = 20;

    /// <summary>The identity of <paramref name="path"/>, following symlinks; <see cref="FileKind.Missing"/> when nothing is there.</summary>
    public static FileIdentity Of(string path)
    {
        string full = Path.GetFullPath(path);
        return OperatingSystem.IsLinux() ? Statx(path, full) : ByPath(full);
    }

    /// <summary>Whether both name one existing file.</summary>
    public bool IsSameFileAs(FileIdentity other) =>
        Kind != FileKind.Missing && other.Kind != FileKind.Missing
        && (OperatingSystem.IsLinux()
            ? Device == other.Device && Inode == other.Inode
            : string.Equals(FullPath, other.FullPath, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));

    private static unsafe FileIdentity Statx(string path, string full)
    {
        // struct statx: stx_mode (u16) at 28, stx_ino (u64) at 32, stx_dev_major/minor (u32) at 136/140; 256 bytes.
        byte* buffer = stackalloc byte[256];
        if (StatxCall(AtFdCwd, path, 0, StatxType | StatxIno, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is Enoent or Enotdir
                ? new FileIdentity(FileKind.Missing, 0, 0, full)
                : throw new IOException($"cannot stat '{path}' (errno {errno})");
        }

        ushort mode = *(ushort*)(buffer + 28);
        ulong inode = *(ulong*)(buffer + 32);
        ulong device = ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140);
        return new FileIdentity(KindOf(mode), device, inode, full);
    }

    private static FileKind KindOf(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0x2000 => FileKind.CharacterDevice,
        0x1000 => FileKind.Fifo,
        _ => FileKind.Other,
    };

    private static FileIdentity ByPath(string full)
    {
        if (Directory.Exists(full))
        {
            return new FileIdentity(FileKind.Directory, 0, 0, full);
        }

        var file = new FileInfo(full);
        string target = file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        return new FileIdentity(File.Exists(target) ? FileKind.Regular : FileKind.Missing, 0, 0, target);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatxCall(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
