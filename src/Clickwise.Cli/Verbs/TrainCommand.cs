using System.CommandLine;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary><c>clickwise train</c>: text files → split → vocabulary (training rows) + caches → train → metrics per test part → model file.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var options = new TrainOptions();
        var output = new Option<string>("--output", "-o") { Description = "Model file to write", Required = true };
        var workdir = new Option<string?>("--workdir") { Description = "Cache, metrics.jsonl and checkpoints (default: <output>.run)" };
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint of the same run (its checkpoint.cwm or the run directory)" };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the final report" };
        var printConfig = new Option<bool>("--print-config")
        {
            Description = "Print the settings the run would use (preset → config file → flags) as JSON, and stop",
        };
        var command = new Command("train", "Train a model on a file's split (or --valid/--test files) and report each test part's metrics");
        options.AddTo(command);
        CommonOptions.AddAll(command, output, workdir, resume, quiet, printConfig);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string modelPath = parse.GetValue(output)!;
            string runDir = parse.GetValue(workdir) ?? modelPath + ".run";
            // --resume takes the run directory as well as the checkpoint in it.
            string? resumeFrom = parse.GetValue(resume) is { } r && Directory.Exists(r) ? Path.Combine(r, "checkpoint.cwm") : parse.GetValue(resume);
            TrainRequest request = options.Request(parse, modelPath, runDir, resumeFrom);
            if (parse.GetValue(printConfig))
            {
                Console.WriteLine(request.EffectiveConfigJson());
                return ExitCodes.Success;
            }

            bool newRunDir = !Directory.Exists(runDir);
            TrainReport report;
            try
            {
                report = ConsoleProgress.Run(parse.GetValue(quiet), observers => TrainRun.Execute(request, observers));
            }
            catch when (newRunDir && !File.Exists(Path.Combine(runDir, "checkpoint.cwm")))
            {
                // A run that failed before its first checkpoint leaves nothing to resume: no run directory either.
                if (Directory.Exists(runDir))
                {
                    Directory.Delete(runDir, recursive: true);
                }

                throw;
            }

            Reports.PrintTrain(report);
            return ExitCodes.Success;
        }));
        return command;
    }
}
