using System.Text;
using Clickwise.IO;
using Clickwise.Runs;

namespace Clickwise.Cli;

/// <summary>
/// A study's output directory: NAME.md, NAME.json and the study's figures, written again after every model so an
/// interrupted study keeps what it finished, and the JSON read back for <c>--resume</c>.
/// </summary>
/// <param name="figures">Writes the study's figures into the directory it is given.</param>
internal sealed class StudyOutput<T>(string directory, string name, Func<T, string> markdown, Action<T, string> figures)
    where T : class
{
    private string JsonPath => Path.Combine(directory, name + ".json");

    /// <summary>The earlier run's report when resuming and there is one; else null.</summary>
    public T? Earlier(bool resume) =>
        resume && File.Exists(JsonPath) ? ConfigJson.Deserialize<T>(File.ReadAllText(JsonPath), JsonPath) : null;

    public void Save(T report)
    {
        Directory.CreateDirectory(directory);
        OutputFile.WriteAllBytes(Path.Combine(directory, name + ".md"), Encoding.UTF8.GetBytes(markdown(report)));
        OutputFile.WriteAllBytes(JsonPath, Encoding.UTF8.GetBytes(ConfigJson.Serialize(report)));
        figures(report, directory);
    }
}
