using System.Text;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Readers;
using Clickwise.IO;

namespace Clickwise.Runs;

/// <summary>
/// A dataset prepared once (<c>clickwise prepare -o DIR</c>) and trained on many times (<c>train -d DIR</c>): the
/// feature map, the binary caches of the training data and of any validation and test files, <c>cache/prepared.json</c>
/// (split, held-out files and the whole preprocessing) and <c>input.json</c> (how the text was read). Training on it parses
/// no text; a run that asks for other preprocessing than it was prepared with is refused.
/// </summary>
public static class PreparedDirectory
{
    private const string InputFileName = "input.json";

    /// <summary>Whether <paramref name="path"/> is a directory <c>prepare</c> wrote.</summary>
    public static bool Is(string path) =>
        Directory.Exists(path) && File.Exists(Path.Combine(CacheOf(path), PreparedManifest.FileName)) && File.Exists(Path.Combine(path, InputFileName));

    /// <summary>
    /// Parses and encodes the request's files into <paramref name="directory"/> (replacing a dataset prepared there before, in
    /// one atomic swap: a crash leaves the old dataset or the new one, never a mix); returns the prepared data.
    /// </summary>
    public static PreparedDataset Prepare(TrainRequest request, string directory)
    {
        if (HoldsOtherFiles(directory))
        {
            throw new IOException($"{directory} exists and is not a prepared dataset: prepare into a new directory (or one prepare wrote)");
        }

        string staging = AtomicDirectory.StagingFor(directory);
        // Hashing the inputs reads them once more. Beside the passes it shares both cores with them; after them it would
        // run alone on one core while the other idles (6 s of a 65 s prepare of 10.9 GB). Stdin's copy exists only after.
        using var stopHashing = new CancellationTokenSource();
        Task<SourceFile[]>? hashing = ReadsStdin(request) ? null : Task.Run(() => Sources(request, directory, stopHashing.Token).ToArray());
        try
        {
            using (TrainRun.Prepare(request with { WorkDir = staging }))
            {
                SourceFile[] sources = hashing?.GetAwaiter().GetResult() ?? [.. Sources(request, directory, CancellationToken.None)];
                PreparedManifest.SaveSources(CacheOf(staging), sources);
                OutputFile.WriteAllBytes(Path.Combine(staging, InputFileName), Encoding.UTF8.GetBytes(ConfigJson.Serialize(request.Data.Reader)));
            }

            AtomicDirectory.Publish(staging, directory);
        }
        catch
        {
            stopHashing.Cancel();
            try
            {
                hashing?.Wait();
            }
            catch (AggregateException)
            {
                // The preparation's own error is the one to report.
            }

            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }

        return Open(directory, request.Preprocessing);
    }

    /// <summary>Whether <paramref name="path"/> is a directory of other things than a prepared dataset, which prepare must not replace.</summary>
    public static bool HoldsOtherFiles(string path) => Directory.Exists(path) && !Is(path) && Directory.EnumerateFileSystemEntries(path).Any();

    /// <summary>The prepared data, checked against the preprocessing a run asks for.</summary>
    public static PreparedDataset Open(string directory, DataConfig preprocessing) => DatasetBuilder.Open(CacheOf(directory), preprocessing);

    /// <summary>The full paths of the training files the directory was prepared from.</summary>
    public static string[] TrainingFiles(string directory) =>
        [.. PreparedManifest.SourcesOf(CacheOf(directory)).Where(source => source.Role == "train").Select(source => source.Path)];

    /// <summary>How the prepared text was read (format, columns): what a model trained on it keeps.</summary>
    public static ReaderOptions Reader(string directory) =>
        ConfigJson.Deserialize<ReaderOptions>(File.ReadAllText(Path.Combine(directory, InputFileName)), Path.Combine(directory, InputFileName));

    /// <summary>The preprocessing the directory was prepared with (what <c>train -d DIR</c> takes when it names none).</summary>
    public static DataConfig Preprocessing(string directory)
    {
        string path = Path.Combine(CacheOf(directory), PreparedManifest.FileName);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.TryGetProperty("preprocessing", out var built) && built.ValueKind == System.Text.Json.JsonValueKind.Object
            ? DataConfig.FromJson(built.GetRawText())
            : throw new InvalidDataException($"{path}: written before prepared datasets kept their preprocessing: prepare again");
    }

    /// <summary>Every file read, by role; stdin is described by the copy it was spooled to.</summary>
    private static IEnumerable<SourceFile> Sources(TrainRequest request, string directory, CancellationToken cancel)
    {
        foreach ((string role, DataSource data) in Roles(request))
        {
            foreach (string path in InputFiles.Expand(data.Path))
            {
                yield return data.IsStdin
                    ? SourceFile.Of(role, Path.Combine(directory, DataSource.StdinSpoolName), cancel) with { Path = "-" }
                    : SourceFile.Of(role, path, cancel);
            }
        }
    }

    private static bool ReadsStdin(TrainRequest request) => Roles(request).Any(role => role.Data.IsStdin);

    private static List<(string Role, DataSource Data)> Roles(TrainRequest request)
    {
        var roles = new List<(string Role, DataSource Data)> { ("train", request.Data) };
        if (request.Valid is { } valid)
        {
            roles.Add(("valid", valid));
        }

        roles.AddRange(request.Tests.Select(test => ("test", test)));
        return roles;
    }

    private static string CacheOf(string directory) => Path.Combine(directory, "cache");
}
