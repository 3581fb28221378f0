using System.Globalization;
using Clickwise.Tests.Cli;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Reliability;

/// <summary>
/// Real sample lines of every format, mutated (<see cref="LineMutation"/>) and scored by <c>predict</c> strictly and
/// with <c>--skip-bad</c>; the invalidating mutations also go through <c>train</c>. A case is clear when a refusal exits
/// 65 naming <c>file:line</c> (the mutated line where it is known), leaves the previous output as it was, and a lenient
/// run writes one line per input line, <c>nan</c> exactly where the strict run failed.
/// </summary>
[Collection(ReliabilityTable.Collection)]
[Trait("Category", SharedData.Category)]
public sealed class ParserFaultTests(ReliabilityTable table) : IDisposable
{
    private const string Previous = "previous artifact\n";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void EveryMutationOfEveryFormatIsRefusedWithItsLineOrScoredLineByLine()
    {
        var cases = new List<FaultCase>();
        int seed = 0;
        foreach (FormatSample sample in FormatSample.All())
        {
            string baseFile = _directory.File($"{sample.Format}.base");
            File.WriteAllText(baseFile, sample.Text(sample.Lines));
            string model = _directory.File($"{sample.Format}.cwm");
            CliRunner.Expect(0, ["train", "-d", baseFile, .. sample.Flags, "--model", "lr", "--epochs", "1", "--batch-size", "64", "-o", model, "--quiet"]);
            foreach (MutatedInput input in LineMutation.Of(sample, ++seed))
            {
                cases.Add(Predict(sample, model, input));
                if (input.BadLine is not null && input.Name.EndsWith($"@{sample.FileLine(sample.Lines.Count / 2)}", StringComparison.Ordinal))
                {
                    cases.Add(Train(sample, model, input));
                }
            }
        }

        cases.ForEach(table.Add);
        Assert.True(cases.Count >= 700, $"only {cases.Count} parser cases");
        Assert.True(cases.All(c => c.Outcome == Outcome.Clear), ReliabilityTable.Failures(cases));
    }

    private FaultCase Predict(FormatSample sample, string model, MutatedInput input)
    {
        string name = $"predict {sample.Format} {input.Name}";
        string data = _directory.File("mutated." + sample.Format);
        File.WriteAllBytes(data, input.Bytes);
        string strictOut = _directory.File("strict.txt"), lenientOut = _directory.File("lenient.txt");
        File.WriteAllText(strictOut, Previous);
        File.WriteAllText(lenientOut, Previous);
        int lines = LineMutation.DataLines(input.Bytes, sample.Header is not null);
        int offset = sample.Header is null ? 1 : 2;

        CliResult strict = CliRunner.Run("predict", "-m", model, "-d", data, "-o", strictOut);
        CliResult lenient = CliRunner.Run("predict", "-m", model, "-d", data, "-o", lenientOut, "--skip-bad", "--max-bad-ratio", "0.5");
        foreach (CliResult run in new[] { strict, lenient })
        {
            if (!Exits.Documented(run.ExitCode))
            {
                return new FaultCase("parser", name, Outcome.Crash, run.ToString());
            }
        }

        int? strictLine = null;
        if (strict.ExitCode == Exits.Success)
        {
            if (input.BadLine is { } bad)
            {
                return new FaultCase("parser", name, Outcome.Silent, $"strict predict accepted bad line {bad}");
            }

            string[] predictions = File.ReadAllLines(strictOut);
            if (predictions.Length != lines || predictions.Any(p => !float.TryParse(p, CultureInfo.InvariantCulture, out float v) || !(v is >= 0 and <= 1)))
            {
                return new FaultCase("parser", name, Outcome.Silent, $"strict predict wrote {predictions.Length} lines for {lines}");
            }
        }
        else
        {
            if (File.ReadAllText(strictOut) != Previous)
            {
                return new FaultCase("parser", name, Outcome.Lost, "a failed predict replaced the previous output");
            }

            if (strict.ExitCode != Exits.DataError)
            {
                return new FaultCase("parser", name, Outcome.Unclear, strict.ToString());
            }

            // A line where one is at fault; the file alone for its columns (a header or width the model was not trained on).
            var match = System.Text.RegularExpressions.Regex.Match(strict.Error, $"{System.Text.RegularExpressions.Regex.Escape(data)}(?::(\\d+))?: ");
            if (!match.Success || (input.BadLine is { } bad && match.Groups[1].Value != bad.ToString(CultureInfo.InvariantCulture)))
            {
                return new FaultCase("parser", name, Outcome.Unclear, $"expected {data}:{input.BadLine}: in {strict.Error}");
            }

            strictLine = match.Groups[1].Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        }

        if (lenient.ExitCode != Exits.Success)
        {
            // Only damaged columns (a header, or the file's width) stop a lenient run: it has no rows to skip to.
            string where = strictLine == 1 ? $"{data}:1: " : $"{data}: ";
            bool columns = strictLine is 0 or 1 && lenient.ExitCode == Exits.DataError && lenient.Error.Contains(where, StringComparison.Ordinal);
            return columns && File.ReadAllText(lenientOut) == Previous
                ? new FaultCase("parser", name, Outcome.Clear)
                : new FaultCase("parser", name, Outcome.Silent, $"lenient predict failed: {lenient}");
        }

        string[] lenientLines = File.ReadAllLines(lenientOut);
        if (lenientLines.Length != lines)
        {
            return new FaultCase("parser", name, Outcome.Silent, $"lenient predict wrote {lenientLines.Length} lines for {lines} input lines");
        }

        int firstNan = Array.FindIndex(lenientLines, p => p == "nan");
        if (strictLine is { } failed && firstNan + offset != failed)
        {
            return new FaultCase("parser", name, Outcome.Silent, $"strict failed at line {failed}, lenient's first nan is line {firstNan + offset}");
        }

        if (strictLine is null && firstNan >= 0)
        {
            return new FaultCase("parser", name, Outcome.Silent, $"strict read every line, lenient skipped line {firstNan + offset}");
        }

        return new FaultCase("parser", name, Outcome.Clear);
    }

    private FaultCase Train(FormatSample sample, string model, MutatedInput input)
    {
        string name = $"train {sample.Format} {input.Name}";
        string data = _directory.File("mutated-train." + sample.Format);
        File.WriteAllBytes(data, input.Bytes);
        string output = _directory.File("trained.cwm");
        File.Copy(model, output, overwrite: true);
        byte[] previous = File.ReadAllBytes(output);
        string[] train = ["train", "-d", data, .. sample.Flags, "--model", "lr", "--epochs", "1", "--batch-size", "64", "-o", output, "--quiet"];

        CliResult strict = CliRunner.Run(train);
        if (!Exits.Documented(strict.ExitCode))
        {
            return new FaultCase("parser", name, Outcome.Crash, strict.ToString());
        }

        if (strict.ExitCode == Exits.Success)
        {
            return new FaultCase("parser", name, Outcome.Silent, $"strict train accepted bad line {input.BadLine}");
        }

        if (!File.ReadAllBytes(output).AsSpan().SequenceEqual(previous))
        {
            return new FaultCase("parser", name, Outcome.Lost, "a failed train replaced the previous model");
        }

        if (strict.ExitCode != Exits.DataError || !strict.Error.Contains($"{data}:{input.BadLine}: ", StringComparison.Ordinal))
        {
            return new FaultCase("parser", name, Outcome.Unclear, strict.ToString());
        }

        CliResult lenient = CliRunner.Run([.. train, "--skip-bad", "--max-bad-ratio", "0.5"]);
        int lines = LineMutation.DataLines(input.Bytes, sample.Header is not null);
        return lenient.ExitCode == Exits.Success && lenient.Out.Contains($"lines={lines}, parsed={lines - 1}, skipped=1", StringComparison.Ordinal)
            ? new FaultCase("parser", name, Outcome.Clear)
            : new FaultCase("parser", name, Outcome.Silent, $"lenient train: {lenient}");
    }
}
