using System.Globalization;
using System.Text.Json;

namespace Clickwise.Serving;

/// <summary>
/// A TF-Serving/Triton-style model repository: <c>DIR/&lt;name&gt;/&lt;version&gt;/model.cwm</c> with whole-number versions.
/// The newest version with a model file serves unless <c>DIR/&lt;name&gt;/config.json</c> pins one (<c>{"version": 3}</c>).
/// Publish a version by renaming its finished directory into place, so a half-copied file is never seen.
/// </summary>
public sealed class ModelRepository(string root)
{
    public const string ModelFileName = "model.cwm";
    public const string ConfigFileName = "config.json";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The model names: every directory under the root, in ordinal order.</summary>
    public IReadOnlyList<string> Names() =>
        [.. Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal)];

    public bool Has(string name) => IsPlainName(name) && Directory.Exists(Path.Combine(Root, name));

    /// <summary>The version that should serve: the pinned one, else the newest with a model file; null when there is none.</summary>
    /// <exception cref="InvalidDataException">The model's config.json is malformed or pins a version that has no model file.</exception>
    public VersionFile? Wanted(string name)
    {
        if (Pinned(Path.Combine(Root, name)) is long pinned)
        {
            return File(name, pinned) ?? throw new InvalidDataException($"{Path.Combine(Root, name, ConfigFileName)}: pins version {pinned}, which has no {ModelFileName}");
        }

        return Versions(name).Select(v => File(name, v)).FirstOrDefault(file => file is not null);
    }

    /// <summary>The versions older than <paramref name="version"/> with a model file, newest first; none when a config pins one.</summary>
    public IEnumerable<VersionFile> OlderThan(string name, long version) =>
        Pinned(Path.Combine(Root, name)) is null
            ? Versions(name).Where(v => v < version).Select(v => File(name, v)).OfType<VersionFile>()
            : [];

    /// <summary>The version directories of a model, newest first.</summary>
    private long[] Versions(string name)
    {
        string directory = Path.Combine(Root, name);
        return Directory.Exists(directory)
            ? [.. Directory.EnumerateDirectories(directory).Select(d => ParseVersion(Path.GetFileName(d))).Where(v => v > 0).OrderDescending()]
            : [];
    }

    /// <summary>A version's model file as it is now (size and time tell a rewritten file apart), or null when absent.</summary>
    public VersionFile? File(string name, long version)
    {
        var info = new FileInfo(Path.Combine(Root, name, version.ToString(CultureInfo.InvariantCulture), ModelFileName));
        return info.Exists ? new VersionFile(name, version, info.FullName, info.LastWriteTimeUtc, info.Length) : null;
    }

    /// <summary>A version as written in a URL or a directory name: a whole number above 0; 0 when it is not one.</summary>
    public static long ParseVersion(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v > 0 ? v : 0;

    private static bool IsPlainName(string name) =>
        name.Length > 0 && !name.StartsWith('.') && name.IndexOfAny(['/', '\\']) < 0;

    private static long? Pinned(string directory)
    {
        string path = Path.Combine(directory, ConfigFileName);
        if (!System.IO.File.Exists(path))
        {
            return null;
        }

        RepositoryConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(System.IO.File.ReadAllBytes(path), ServingJson.Default.RepositoryConfig);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        return config?.Version is long v && v > 0 ? v : throw new InvalidDataException($"{path}: \"version\" must be a whole number above 0");
    }
}

/// <summary>One version's model file in the repository, with the size and time that tell a rewritten file apart.</summary>
public sealed record VersionFile(string Name, long Version, string Path, DateTime WrittenUtc, long Length);

/// <summary>A model's <c>config.json</c>: the version to serve instead of the newest.</summary>
public sealed record RepositoryConfig(long? Version);
