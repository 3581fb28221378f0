using System.CommandLine;
using System.Diagnostics;
using Clickwise.Data.Pipeline;
using Clickwise.Data.Readers;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise prepare</c>: text → vocabulary (training rows) → binary caches, once, into a directory that
/// <c>train -d DIR</c> (and every run after it) reuses without parsing text.
/// </summary>
internal static class PrepareCommand
{
    public static Command Create()
    {
        var options = new TrainOptions();
        var output = new Option<string>("--output", "-o") { Description = "Directory to write the prepared dataset to", Required = true };
        var command = new Command("prepare", "Parse and encode a dataset once (vocabulary, caches, manifest) for train -d DIR to reuse");
        options.AddTo(command, sparsity: false, schedule: false, model: false);
        CommonOptions.AddAll(command, output);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string directory = parse.GetValue(output)!;
            if (PreparedDirectory.HoldsOtherFiles(directory))
            {
                throw new UsageException($"-o {directory} is a directory of other files; prepare replaces its output as a whole, so give a new directory (or one prepare wrote)");
            }

            TrainRequest request = options.Request(parse, Path.Combine(directory, "unused.cwm"), directory);
            var input = new InputProgress();
            request = request with { Data = request.Data with { Progress = input } };
            var clock = Stopwatch.StartNew();
            PreparedDataset prepared;
            using (StderrProgress.ForInput("prepare", input, quiet: false))
            {
                prepared = PreparedDirectory.Prepare(request, directory);
            }

            using PreparedDataset data = prepared;
            Console.WriteLine($"prepared {data.Rows:N0} rows (train {data.Train.RowCount:N0}, valid {data.Valid.RowCount:N0}, "
                + $"test {data.Tests.Sum(t => t.Rows.RowCount):N0}); {data.Stats}; vocabulary {data.Map.Layout.TotalRows:N0} rows; "
                + $"{clock.Elapsed.TotalSeconds:F1} s");
            Console.WriteLine($"train on it with: clickwise train -d {directory} -o MODEL.cwm (preprocessing flags must match what it was prepared with)");
            return ExitCodes.Success;
        }));
        return command;
    }
}
