namespace Clickwise.IO;

/// <summary>What a path names, after symlinks: it decides how an output is written (replaced or streamed into).</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    CharacterDevice,
    Fifo,

    /// <summary>A block device or a socket: neither replaced nor written by Clickwise.</summary>
    Other,
}
