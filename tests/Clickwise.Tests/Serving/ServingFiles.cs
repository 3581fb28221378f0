using Clickwise.Tests.Cli;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Serving;

/// <summary>
/// Two FM models trained on one small synthetic Criteo file (different seeds, so their answers differ), the file's
/// first lines, and what <c>predict</c> writes for them: what the server's answers are checked against.
/// </summary>
public sealed class ServingFiles : IDisposable
{
    public const int LineCount = 24;

    public ServingFiles()
    {
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "6", "-o", DataPath);
        CliRunner.Expect(0, "train", "-d", DataPath, "--model", "fm", "-o", FirstModel, "--epochs", "1", "--embedding-dim", "4", "--batch-size", "256", "--seed", "1", "--quiet");
        CliRunner.Expect(0, "train", "-d", DataPath, "--model", "fm", "-o", SecondModel, "--epochs", "1", "--embedding-dim", "4", "--batch-size", "256", "--seed", "2", "--quiet");
        Lines = [.. File.ReadLines(DataPath).Take(LineCount)];
        string lines = Directory.File("lines.tsv");
        File.WriteAllLines(lines, Lines);
        string predictions = Directory.File("predictions.txt");
        CliRunner.Expect(0, "predict", "-m", FirstModel, "-d", lines, "-o", predictions);
        Predictions = [.. File.ReadAllLines(predictions).Select(line => float.Parse(line, System.Globalization.CultureInfo.InvariantCulture))];
    }

    internal TempDirectory Directory { get; } = new();

    public string DataPath => Directory.File("data.tsv");

    public string FirstModel => Directory.File("fm1.cwm");

    public string SecondModel => Directory.File("fm2.cwm");

    /// <summary>Labelled Criteo lines: label, I1..I13, C1..C26.</summary>
    public string[] Lines { get; }

    /// <summary><c>predict -m fm1.cwm</c>'s probabilities for <see cref="Lines"/>.</summary>
    public float[] Predictions { get; }

    /// <summary>A fresh repository holding <c>fm/1</c> (the first model).</summary>
    public string NewRepository()
    {
        string root = Directory.File("repo-" + Guid.NewGuid().ToString("N"));
        Publish(root, "fm", 1, FirstModel);
        return root;
    }

    /// <summary>Copies a model file in as <c>root/name/version/model.cwm</c>, renaming its finished directory into place.</summary>
    public static void Publish(string root, string name, long version, string model)
    {
        string staging = Path.Combine(root, $".staging-{version}");
        System.IO.Directory.CreateDirectory(staging);
        File.Copy(model, Path.Combine(staging, "model.cwm"));
        System.IO.Directory.CreateDirectory(Path.Combine(root, name));
        System.IO.Directory.Move(staging, Path.Combine(root, name, version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void Dispose() => Directory.Dispose();
}
