using System.Diagnostics;
using Clickwise.IO;

namespace Clickwise.Tests.Cli;

/// <summary>Device nodes, FIFOs and hard links to write outputs into, made in a test's own directory.</summary>
internal static class SpecialFiles
{
    /// <summary>
    /// A character device with the numbers of <paramref name="system"/> (<c>/dev/null</c> is 1,3; <c>/dev/full</c> 1,7),
    /// made with <c>mknod</c> in <paramref name="directory"/> so no test ever writes to the system's node. Without the
    /// right to make nodes (not root), the system's node itself: a user who may not replace it cannot damage it either.
    /// </summary>
    public static string CharacterDevice(string directory, string system, int major, int minor)
    {
        string path = Path.Combine(directory, Path.GetFileName(system));
        return Run("mknod", path, "c", major.ToString(System.Globalization.CultureInfo.InvariantCulture),
            minor.ToString(System.Globalization.CultureInfo.InvariantCulture)) ? path : system;
    }

    public static string Fifo(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        Assert.True(Run("mkfifo", path), $"mkfifo {path} failed");
        Assert.Equal(FileKind.Fifo, FileIdentity.Of(path).Kind);
        return path;
    }

    /// <summary>A second name for <paramref name="target"/> (<c>ln</c>: .NET has no managed API for hard links).</summary>
    public static void HardLink(string target, string link) => Assert.True(Run("ln", target, link), $"ln {target} {link} failed");

    private static bool Run(string program, params string[] args)
    {
        using Process process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
