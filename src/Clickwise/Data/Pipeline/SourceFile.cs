using System.Security.Cryptography;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// One input file a prepared dataset was made from: its role (train, valid, test), full path, size and SHA-256 of its raw
/// (still compressed) bytes, so a prepared directory says exactly which files it holds and a changed file is detectable.
/// </summary>
public sealed record SourceFile(string Role, string Path, long Bytes, string Sha256)
{
    /// <summary>Reads <paramref name="path"/> once to hash it (about the cost of one more read of the raw bytes).</summary>
    public static SourceFile Of(string role, string path, CancellationToken cancel = default)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[1 << 20];
        long bytes = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, n);
            bytes += n;
        }

        return new SourceFile(role, System.IO.Path.GetFullPath(path), bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
