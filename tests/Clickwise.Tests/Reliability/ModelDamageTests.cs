using Clickwise.Tests.Cli;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Reliability;

/// <summary>
/// A trained model file and a checkpoint damaged at many offsets (bit flips, truncations, appended bytes, an empty
/// file, another kind of file): every reader (<c>inspect</c>, <c>predict</c>, <c>eval</c>, <c>train --resume</c>) must
/// refuse with 65 naming the file, and leave its previous output as it was.
/// </summary>
[Collection(ReliabilityTable.Collection)]
[Trait("Category", SharedData.Category)]
public sealed class ModelDamageTests(ReliabilityTable table) : IDisposable
{
    private const string Previous = "previous artifact\n";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void EveryDamagedModelOrCheckpointIsRefusedNamingTheFile()
    {
        string data = _directory.File("d.tsv"), model = _directory.File("deepfm.cwm");
        CliRunner.Expect(0, "synth", "--rows", "3000", "--seed", "4", "-o", data);
        string[] train = ["train", "-d", data, "--model", "deepfm", "--hidden", "16,16", "--embedding-dim", "4", "--epochs", "1", "--batch-size", "256", "-o", model, "--quiet"];
        CliRunner.Expect(0, train);
        byte[] good = File.ReadAllBytes(model);
        byte[] checkpoint = File.ReadAllBytes(Path.Combine(model + ".run", "checkpoint.cwm"));

        var random = new Random(17);
        var cases = new List<FaultCase>();
        foreach ((string name, byte[] bytes) in Damaged(good, random))
        {
            cases.Add(Read($"model {name}", bytes, ["inspect"]));
            cases.Add(Read($"model {name}", bytes, ["predict", "-d", data, "-o", _directory.File("out.txt")], _directory.File("out.txt")));
        }

        foreach ((string name, byte[] bytes) in Damaged(checkpoint, random).Where((_, i) => i % 4 == 0))
        {
            cases.Add(Read($"checkpoint {name}", bytes, ["eval", "-d", data]));
        }

        cases.ForEach(table.Add);
        Assert.True(cases.Count >= 300, $"only {cases.Count} model-file cases");
        Assert.True(cases.All(c => c.Outcome == Outcome.Clear), ReliabilityTable.Failures(cases));
    }

    /// <summary>Bit flips over the whole file (densest in the header), truncations, appended bytes, and files of other kinds.</summary>
    private static IEnumerable<(string Name, byte[] Bytes)> Damaged(byte[] good, Random random)
    {
        var offsets = Enumerable.Range(0, 96).Select(i => i * 7 % Math.Min(good.Length, 672))
            .Concat(Enumerable.Range(0, 96).Select(_ => random.Next(good.Length))).Distinct().Order();
        foreach (int offset in offsets)
        {
            byte[] flipped = [.. good];
            flipped[offset] ^= (byte)(1 << random.Next(8));
            yield return ($"flip@{offset}", flipped);
        }

        foreach (int length in Enumerable.Range(0, 24).Select(i => (int)((long)good.Length * i / 24)).Concat([good.Length - 1, good.Length - 4]))
        {
            yield return ($"truncated@{length}", good[..length]);
        }

        yield return ("appended", [.. good, .. "extra"u8.ToArray()]);
        yield return ("doubled", [.. good, .. good]);
        yield return ("text", "0\t1\t2\n"u8.ToArray());
        yield return ("zeros", new byte[good.Length]);
    }

    /// <summary>Runs <paramref name="verb"/> with <c>-m</c> on the damaged bytes; clear when it exits 65 naming the model file.</summary>
    private FaultCase Read(string name, byte[] bytes, string[] verb, string? output = null)
    {
        string damaged = _directory.File("damaged.cwm");
        File.WriteAllBytes(damaged, bytes);
        if (output is not null)
        {
            File.WriteAllText(output, Previous);
        }

        string caseName = $"{verb[0]} {name}";
        CliResult result = CliRunner.Run([verb[0], "-m", damaged, .. verb[1..]]);
        if (!Exits.Documented(result.ExitCode))
        {
            return new FaultCase("model file", caseName, Outcome.Crash, result.ToString());
        }

        if (result.ExitCode == Exits.Success)
        {
            return new FaultCase("model file", caseName, Outcome.Silent, "a damaged model file was read");
        }

        if (output is not null && File.ReadAllText(output) != Previous)
        {
            return new FaultCase("model file", caseName, Outcome.Lost, "the previous output was replaced");
        }

        return result.ExitCode == Exits.DataError && result.Error.Contains(damaged, StringComparison.Ordinal)
            ? new FaultCase("model file", caseName, Outcome.Clear)
            : new FaultCase("model file", caseName, Outcome.Unclear, result.ToString());
    }
}
