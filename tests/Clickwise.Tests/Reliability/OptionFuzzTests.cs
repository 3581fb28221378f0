using Clickwise.Tests.Cli;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Reliability;

/// <summary>
/// Every numeric and list option of the verbs given values a user mistypes or overreaches with (negative, zero, NaN,
/// text, empty, overflowing, enormous): each run ends with a README exit code (never 1), and a refusal says what was
/// wrong (a model too large for the machine is refused from its config: <see cref="Clickwise.Tests.Models.ModelFootprintTests"/>).
/// </summary>
[Collection(ReliabilityTable.Collection)]
[Trait("Category", SharedData.Category)]
public sealed class OptionFuzzTests(ReliabilityTable table) : IDisposable
{
    /// <summary>Values no option takes well; options whose large valid values mean long work (epochs) get only these.</summary>
    private static readonly string[] Bad = ["-1", "0", "NaN", "abc", "", "0.5", "-Infinity", "1e9"];

    /// <summary>Sizes past what the machine holds, for the options that size memory or output.</summary>
    private static readonly string[] Huge = ["99999999999", "2147483647", "3000000"];

    private static readonly HashSet<string> Sizes = ["--batch-size", "--embedding-dim", "--hidden", "--threads", "--seed", "--min-count", "--requests", "--batch", "--rows"];

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void EveryBadOptionValueEndsWithAReadmeCodeAndAReason()
    {
        string data = _directory.File("d.tsv"), model = _directory.File("m.cwm");
        CliRunner.Expect(0, "synth", "--rows", "1500", "--seed", "4", "-o", data);
        CliRunner.Expect(0, "train", "-d", data, "--model", "deepfm", "--embedding-dim", "4", "--hidden", "8", "--epochs", "1", "--batch-size", "256", "-o", model, "--quiet");
        string output = _directory.File("out");
        (string Verb, Dictionary<string, string> Base, string[] Fuzzed)[] verbs =
        [
            ("train", new() { ["-d"] = data, ["--model"] = "deepfm", ["--epochs"] = "1", ["--batch-size"] = "256", ["--embedding-dim"] = "4", ["--hidden"] = "8", ["-o"] = output + ".cwm" },
                ["--epochs", "--batch-size", "--lr", "--embedding-dim", "--hidden", "--dropout", "--threads", "--max-bad-ratio", "--seed", "--min-count", "--cross-layers", "--fm-pretrain-epochs", "--prune-warmup"]),
            ("predict", new() { ["-m"] = model, ["-d"] = data, ["-o"] = output + ".txt" }, ["--threads", "--max-bad-ratio"]),
            ("eval", new() { ["-m"] = model, ["-d"] = data }, ["--threads", "--max-bad-ratio"]),
            ("bench", new() { ["-m"] = model, ["--requests"] = "200", ["--batch"] = "1000" }, ["--requests", "--batch", "--threads"]),
            ("synth", new() { ["--rows"] = "1000", ["-o"] = output + ".tsv" }, ["--rows", "--seed"]),
        ];

        var cases = new List<FaultCase>();
        foreach ((string verb, Dictionary<string, string> basis, string[] fuzzed) in verbs)
        {
            foreach (string option in fuzzed)
            {
                foreach (string value in Sizes.Contains(option) ? [.. Bad, .. Huge] : Bad)
                {
                    var args = new Dictionary<string, string>(basis) { [option] = value };
                    string[] line = [verb, .. args.SelectMany(a => new[] { a.Key, a.Value }), .. verb == "train" ? new[] { "--quiet" } : []];
                    string name = $"{verb} {option} '{value}'";
                    cases.Add(Judge(name, option, CliRunner.Run(line)));
                }
            }
        }

        cases.ForEach(table.Add);
        Assert.True(cases.Count >= 200, $"only {cases.Count} option cases");
        Assert.True(cases.All(c => c.Outcome == Outcome.Clear), ReliabilityTable.Failures(cases));
    }

    private static FaultCase Judge(string name, string option, CliResult result)
    {
        if (!Exits.Documented(result.ExitCode))
        {
            return new FaultCase("options", name, Outcome.Crash, result.ToString());
        }

        // Named as typed, or as the setting in config spelling (--batch-size is batch_size, --lr learning_rate), or as a size that does not fit.
        string[] names = [option, option.TrimStart('-').Replace('-', '_'), option == "--lr" ? "learning_rate" : option, option.TrimStart('-').Replace('-', ' ')];
        if (result.ExitCode == Exits.Usage && !names.Any(n => result.Error.Contains(n, StringComparison.Ordinal))
            && !new[] { "does not fit", "needs about", "pruning options need --sparsity" }.Any(reason => result.Error.Contains(reason, StringComparison.Ordinal)))
        {
            return new FaultCase("options", name, Outcome.Unclear, $"the refusal does not name {option}: {result.Error}");
        }

        return result.ExitCode is Exits.Success or Exits.Usage or Exits.Diverged or Exits.IOError
            ? new FaultCase("options", name, Outcome.Clear)
            : new FaultCase("options", name, Outcome.Unclear, result.ToString());
    }
}
