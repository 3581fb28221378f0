using System.Text.Json;
using Clickwise.Tests.Cli;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Reliability;

/// <summary>
/// Two real processes writing one output at once (<c>train</c>, <c>synth</c>, <c>predict</c>, <c>prepare</c>), and a
/// <c>predict</c> reading a model while <c>train</c> replaces it: every run exits 0 or 75 ("in use", naming the run
/// directory), and the output is one writer's whole result, never a mix.
/// </summary>
[Collection(ReliabilityTable.Collection)]
[Trait("Category", SharedData.Category)]
public sealed class RaceTests(ReliabilityTable table) : IDisposable
{
    private const int Rounds = 6;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TwoWritersOfOneOutputLeaveOneWholeResult()
    {
        string data = _directory.File("d.tsv"), model = _directory.File("lr.cwm");
        CliRunner.Expect(0, "synth", "--rows", "4000", "--seed", "4", "-o", data);
        CliRunner.Expect(0, "train", "-d", data, "--model", "lr", "--epochs", "1", "--batch-size", "256", "-o", model, "--quiet");
        var cases = new List<FaultCase>();
        for (int round = 0; round < Rounds; round++)
        {
            string dir = _directory.File($"round-{round}");
            Directory.CreateDirectory(dir);
            string[] train = ["train", "-d", data, "--model", "lr", "--epochs", "2", "--batch-size", "256", "-o", "m.cwm", "--quiet"];
            cases.Add(Race("train × train", dir, train, train, codes => codes.Contains(0) ? Artifacts.ModelLoads(Path.Combine(dir, "m.cwm")) ?? Metrics(dir) : "neither run finished"));
            string[] synth = ["synth", "--rows", "4000", "--seed", "4", "-o", "s.tsv"];
            cases.Add(Race("synth × synth", dir, synth, synth, _ => Same(Path.Combine(dir, "s.tsv"), data)));
            string[] predict = ["predict", "-m", model, "-d", data, "-o", "p.txt"];
            string reference = Path.Combine(dir, "reference.txt");
            CliRunner.Expect(0, "predict", "-m", model, "-d", data, "-o", reference);
            cases.Add(Race("predict × predict", dir, predict, predict, _ => Same(Path.Combine(dir, "p.txt"), reference)));
            string[] prepare = ["prepare", "-d", data, "-o", "p.prepared"];
            cases.Add(Race("prepare × prepare", dir, prepare, prepare, _ => Artifacts.PreparedTrains(Path.Combine(dir, "p.prepared"))));
            string[] retrain = ["train", "-d", data, "--model", "lr", "--epochs", "1", "--batch-size", "256", "-o", "live.cwm", "--quiet"];
            File.Copy(model, Path.Combine(dir, "live.cwm"));
            cases.Add(Race("train × predict of its model", dir, retrain, ["predict", "-m", "live.cwm", "-d", data, "-o", "live.txt"],
                codes => codes[1] == 0 ? Artifacts.ModelLoads(Path.Combine(dir, "live.cwm")) : "predict failed reading a model being replaced"));
        }

        cases.ForEach(table.Add);
        Assert.True(cases.All(c => c.Outcome == Outcome.Clear), ReliabilityTable.Failures(cases));
    }

    /// <summary>Starts both at once; clear when each exits 0 or 75 (with the reason) and <paramref name="check"/> of the exit codes finds nothing wrong.</summary>
    private static FaultCase Race(string name, string dir, string[] first, string[] second, Func<int[], string?> check)
    {
        Task<ProcessResult>[] runs = [Task.Run(() => CliProcess.Run(dir, first)), Task.Run(() => CliProcess.Run(dir, second))];
        ProcessResult[] results = [.. runs.Select(r => r.Result)];
        foreach (ProcessResult r in results)
        {
            if (r.ExitCode is not (Exits.Success or Exits.InUse))
            {
                return new FaultCase("race", name, Exits.Documented(r.ExitCode) ? Outcome.Unclear : Outcome.Crash, $"exit {r.ExitCode}: {r.Error}");
            }

            if (r.ExitCode == Exits.InUse && !r.Error.Contains(".run", StringComparison.Ordinal))
            {
                return new FaultCase("race", name, Outcome.Unclear, r.Error);
            }
        }

        return check([.. results.Select(r => r.ExitCode)]) is { } problem
            ? new FaultCase("race", name, Outcome.Lost, problem)
            : new FaultCase("race", name, Outcome.Clear);
    }

    /// <summary>The run's metrics: one JSON object a line, each epoch once.</summary>
    private static string? Metrics(string dir)
    {
        string[] lines = File.ReadAllLines(Path.Combine(dir, "m.cwm.run", "metrics.jsonl"));
        var epochs = new List<int>();
        foreach (string line in lines)
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("epoch", out JsonElement epoch) && json.RootElement.TryGetProperty("valid_auc", out _))
            {
                epochs.Add(epoch.GetInt32());
            }
        }

        return epochs.Distinct().Count() == epochs.Count ? null : $"metrics.jsonl logs an epoch twice: {string.Join(", ", epochs)}";
    }

    private static string? Same(string file, string reference) =>
        File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(reference)) ? null : $"{file} is not one writer's whole output";
}
