namespace Clickwise.Tests;

/// <summary>
/// Locates the real datasets in <c>../shared/data</c> beside the repository (or <c>CLICKWISE_SHARED_DATA</c>).
/// Tests using it carry the SharedData category; without the data they fail loudly, never skip.
/// </summary>
public static class SharedData
{
    public const string Category = "SharedData";

    private static readonly Lazy<string?> Root = new(FindRoot);

    public static string Path(string relative)
    {
        string root = Root.Value ?? throw new InvalidOperationException(
            "SharedData tests need ../shared/data beside the repository (or CLICKWISE_SHARED_DATA); searched upward from "
            + AppContext.BaseDirectory + ". Run the default test command with --filter \"Category!=SharedData\" without it.");
        string full = System.IO.Path.Combine(root, relative);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw new FileNotFoundException($"shared data file missing: {full}");
        }

        return full;
    }

    private static string? FindRoot()
    {
        string? env = Environment.GetEnvironmentVariable("CLICKWISE_SHARED_DATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate) && File.Exists(System.IO.Path.Combine(candidate, "README.md")))
            {
                return candidate;
            }
        }

        return null;
    }
}
