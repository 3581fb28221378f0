using Clickwise.Experiments;
using Clickwise.Models;

namespace Clickwise.Tests.Experiments;

/// <summary>
/// <c>docs/models.md</c> is generated from the model registry and the presets; it fails here when it drifts.
/// <c>CLICKWISE_UPDATE_DOCS=1</c> rewrites it instead (<see cref="ModelDocs.RegenerateCommand"/>).
/// </summary>
public sealed class ModelDocsTests
{
    [Fact]
    public void DocsModelsMdIsWhatTheRegistryGenerates()
    {
        string path = Path.Combine(RepositoryRoot(), "docs", "models.md");
        string generated = ModelDocs.Render();
        if (Environment.GetEnvironmentVariable("CLICKWISE_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, generated);
            return;
        }

        string committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "(missing)";
        Assert.True(committed == generated,
            $"docs/models.md differs from what ModelRegistry and RunPresets generate; regenerate it with\n  {ModelDocs.RegenerateCommand}");
    }

    [Fact]
    public void EveryModelAndPresetHasItsPlace()
    {
        string md = ModelDocs.Render();
        Assert.All(ModelRegistry.Names, name => Assert.Contains($"| `{name}` |", md));
        Assert.All(Clickwise.Runs.RunPresets.Names, name => Assert.Contains($"\n### {name}\n", md));
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Clickwise.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Clickwise.slnx above {AppContext.BaseDirectory}");
    }
}
