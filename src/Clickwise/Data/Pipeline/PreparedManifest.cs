using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Clickwise.Data.Cache;
using Clickwise.IO;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// <c>prepared.json</c> beside the caches: how they were made, so that <see cref="DatasetBuilder.Open"/> never reuses a
/// cache made another way. Version 2 fits the vocabulary on the training rows only (a cache directory without this
/// file was fitted over all rows and is refused); the split recorded is the one the vocabulary was fitted under, so
/// reopening with another seed, ratios or mode is refused too.
/// </summary>
internal sealed record PreparedManifest
{
    public const string FileName = "prepared.json";
    public const int CurrentVersion = 2;
    private const string FormatName = "clickwise-prepared";

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        WriteIndented = true,
    };

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>Which rows the vocabulary, min counts and numeric buckets were fitted on.</summary>
    public string FittedOn { get; init; } = "train";

    public SplitMode SplitMode { get; init; }

    /// <summary>The configured ratios (before the parts given as files fold into train).</summary>
    public required SplitRatios Split { get; init; }

    public int Seed { get; init; }

    public string? ValidFile { get; init; }

    public IReadOnlyList<string> TestFiles { get; init; } = [];

    /// <summary>Every input file read, in reading order (a list or glob of training files gives one entry each).</summary>
    public IReadOnlyList<SourceFile> Sources { get; init; } = [];

    /// <summary>The whole preprocessing the cache was built with (min count, hashing, numeric transform, …); null in older manifests.</summary>
    public DataConfig? Preprocessing { get; init; }

    public static string ValidCacheName => "valid.cwcache";

    public static string TestCacheName(int index) => $"test-{index + 1}.cwcache";

    public void Save(string cacheDir) =>
        OutputFile.WriteAllBytes(Path.Combine(cacheDir, FileName), Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, s_json)));

    /// <summary>The input files recorded in the manifest of <paramref name="cacheDir"/>.</summary>
    public static IReadOnlyList<SourceFile> SourcesOf(string cacheDir) => Read(cacheDir).Sources;

    /// <summary>Records the input files of the manifest in <paramref name="cacheDir"/> (known to the caller, not to the builder).</summary>
    public static void SaveSources(string cacheDir, IReadOnlyList<SourceFile> sources) => (Read(cacheDir) with { Sources = sources }).Save(cacheDir);

    /// <summary>Reads the manifest of <paramref name="cacheDir"/> and checks it against <paramref name="config"/>.</summary>
    public static PreparedManifest Load(string cacheDir, DataConfig config)
    {
        PreparedManifest manifest = Read(cacheDir);
        string path = Path.Combine(cacheDir, FileName);

        if (manifest.SplitMode != config.SplitMode || manifest.Split != config.Split || manifest.Seed != config.Seed)
        {
            throw new InvalidDataException($"{path}: the vocabulary was fitted on the training rows of a {Describe(manifest.SplitMode, manifest.Split, manifest.Seed)} split; "
                + $"this config asks for {Describe(config.SplitMode, config.Split, config.Seed)}: rebuild the cache");
        }

        if (manifest.Preprocessing is { } built && JsonSerializer.Serialize(built, s_json) is var was
            && JsonSerializer.Serialize(config, s_json) is var asked && was != asked)
        {
            string[] keys = [.. Keys(was).Where(kv => !Keys(asked).Contains(kv)).Select(kv => kv.Split('=')[0]).Distinct()];
            throw new InvalidDataException($"{path}: the cache was prepared with other preprocessing ({string.Join(", ", keys)} differ) than this "
                + "run asks for: prepare again, or train with the settings it was prepared with");
        }

        return manifest;
    }

    private static PreparedManifest Read(string cacheDir)
    {
        string path = Path.Combine(cacheDir, FileName);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{cacheDir}: no {FileName}; the cache was built by an older version (vocabulary fitted over "
                + "all rows, test rows included) or not at all: rebuild it");
        }

        PreparedManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PreparedManifest>(File.ReadAllText(path), s_json)
                ?? throw new InvalidDataException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        return manifest.Format != FormatName || manifest.Version != CurrentVersion
            ? throw new InvalidDataException($"{path}: {manifest.Format} version {manifest.Version}; this build reads {FormatName} version {CurrentVersion}: rebuild the cache")
            : manifest;
    }

    private static HashSet<string> Keys(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetRawText()}")];
    }

    private static string Describe(SplitMode mode, SplitRatios ratios, int seed) =>
        FormattableString.Invariant($"{mode.ToString().ToLowerInvariant()} {ratios.Train}/{ratios.Valid}/{ratios.Test} seed {seed}");
}
