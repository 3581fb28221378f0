using Clickwise.IO;
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

            RequireSpace(parse.GetValue(output)!, n);
            var options = new SyntheticOptions
            {
                Profile = name,
                Rows = n,
                Seed = parse.GetValue(seed),
                Threads = Math.Max(1, parse.GetValue(threads)),
                ComputeTeacherAuc = n <= Array.MaxLength, // the exact AUC sorts every row's score in one array
            };
            SyntheticReport report = SyntheticGenerator.Generate(options, parse.GetValue(output)!);
            Console.WriteLine($"wrote {report.Rows:N0} rows ({report.Bytes / 1e6:F1} MB) to {parse.GetValue(output)} in {report.Seconds:F1} s "
                + $"({report.RowsPerSecond / 1e6 * 60:F1}M rows/min)");
            Console.WriteLine(options.ComputeTeacherAuc
                ? $"positive rate {report.PositiveRate:F4}; teacher AUC {report.TeacherAuc:F4} (the ceiling a model can reach)"
                : $"positive rate {report.PositiveRate:F4}; teacher AUC not computed past {Array.MaxLength:N0} rows");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Shortest row of either profile (bytes with its newline): a file that surely cannot fit is refused before it starts.</summary>
    private const int MinBytesPerRow = 100;

    /// <summary>Refuses rows that cannot fit on the output's file system (a regular file; a device or pipe streams).</summary>
    private static void RequireSpace(string output, long rows)
    {
        if (output == "-" || FileIdentity.Of(output).Kind is not (FileKind.Missing or FileKind.Regular))
        {
            return;
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (!Directory.Exists(directory))
        {
            return; // the write says what is wrong with the path
        }

        long free = new DriveInfo(directory).AvailableFreeSpace;
        if ((double)rows * MinBytesPerRow > free)
        {
            throw new IOException($"{output}: {rows:N0} rows need at least {(double)rows * MinBytesPerRow / 1e9:F1} GB, and its file system has {free / 1e9:F1} GB free");
        }
    }
}
