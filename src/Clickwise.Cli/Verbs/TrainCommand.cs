using System.CommandLine;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary><c>clickwise train</c>: text file → vocabulary + cache → split → train → test metrics → model file.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var options = new TrainOptions();
        var output = new Option<string>("--output", "-o") { Description = "Model file to write", Required = true };
        var workdir = new Option<string?>("--workdir") { Description = "Cache, metrics.jsonl and checkpoints (default: <output>.run)" };
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint of the same run" };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the final report" };
        var command = new Command("train", "Train a model on a file's train/valid split and report test metrics");
        options.AddTo(command);
        CommonOptions.AddAll(command, output, workdir, resume, quiet);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string modelPath = parse.GetValue(output)!;
            TrainRequest request = options.Request(parse, modelPath, parse.GetValue(workdir) ?? modelPath + ".run", parse.GetValue(resume));
            TrainReport report = ConsoleProgress.Run(parse.GetValue(quiet), observers => TrainRun.Execute(request, observers));
            Reports.PrintTrain(report);
            return ExitCodes.Success;
        }));
        return command;
    }
}
