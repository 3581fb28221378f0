using Clickwise.Data.Readers;
using Clickwise.IO;

namespace Clickwise.Cli;

/// <summary>
/// Refuses an output that is one of the command's inputs (<c>predict -d X -o X</c>, <c>predict -m m.cwm -o m.cwm</c>),
/// before anything is read: the write would destroy the input. Files are compared by identity (device and inode, after
/// symlinks), so <c>./x</c>, <c>dir/../x</c>, a symlink and a hard link to the input are all caught.
/// </summary>
internal static class OutputAliases
{
    /// <param name="output">The output path as given (<c>-</c>, stdout, aliases nothing).</param>
    /// <param name="inputs">Each input option's name and value: a file, a comma list or glob of files, a directory (every file in it),
    /// <c>-</c>, or null when not given.</param>
    public static void Refuse(string output, params IEnumerable<(string Option, string? Value)> inputs)
    {
        if (output == "-")
        {
            return;
        }

        FileIdentity written = FileIdentity.Of(output);
        if (written.Kind is not FileKind.Regular)
        {
            return; // a new file aliases nothing, and a device or FIFO is streamed into, never replaced
        }

        foreach ((string option, string? value) in inputs)
        {
            foreach (string file in Files(value))
            {
                if (FileIdentity.Of(file).IsSameFileAs(written))
                {
                    throw new UsageException($"the output {output} is the input {option} {file}; writing it would destroy the input, so choose another output path");
                }
            }
        }
    }

    private static IEnumerable<string> Files(string? value)
    {
        if (value is null or "-")
        {
            return [];
        }

        if (Directory.Exists(value))
        {
            return Directory.EnumerateFiles(value, "*", SearchOption.AllDirectories); // a prepared directory: its caches, map, manifest
        }

        try
        {
            return InputFiles.Expand(value);
        }
        catch (Exception error) when (error is FileNotFoundException or ArgumentException)
        {
            return []; // an input that names nothing is the verb's own error to report, with its own code
        }
    }
}
