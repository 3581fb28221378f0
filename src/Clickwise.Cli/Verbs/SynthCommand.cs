using System.CommandLine;
using Clickwise.Data.Synthetic;

namespace Clickwise.Cli.Verbs;

/// <summary><c>clickwise synth</c>: writes Criteo TSV / Avazu CSV text drawn from a seeded hidden teacher.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var profile = new Option<string>("--profile") { Description = "criteo or avazu", DefaultValueFactory = _ => "criteo" };
        var rows = new Option<long>("--rows") { Description = "Rows to write", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the teacher and the rows", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--output", "-o") { Description = "Output file ('.gz' compresses)", Required = true };
        var threads = CommonOptions.Threads();
        var command = new Command("synth", "Generate synthetic Criteo-like (or Avazu-like) click logs with a known teacher");
        CommonOptions.AddAll(command, profile, rows, seed, output, threads);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string name = parse.GetValue(profile)!;
            if (name is not ("criteo" or "avazu"))
            {
                throw new UsageException($"unknown profile '{name}'; expected criteo or avazu");
            }

            long n = parse.GetValue(rows);
            if (n < 1)
            {
                throw new UsageException($"--rows must be >= 1, got {n}");
            }

            var options = new SyntheticOptions
            {
                Profile = name,
                Rows = n,
                Seed = parse.GetValue(seed),
                Threads = Math.Max(1, parse.GetValue(threads)),
            };
            SyntheticReport report = SyntheticGenerator.Generate(options, parse.GetValue(output)!);
            Console.WriteLine($"wrote {report.Rows:N0} rows ({report.Bytes / 1e6:F1} MB) to {parse.GetValue(output)} in {report.Seconds:F1} s "
                + $"({report.RowsPerSecond / 1e6 * 60:F1}M rows/min)");
            Console.WriteLine($"positive rate {report.PositiveRate:F4}; teacher AUC {report.TeacherAuc:F4} (the ceiling a model can reach)");
            return ExitCodes.Success;
        }));
        return command;
    }
}
