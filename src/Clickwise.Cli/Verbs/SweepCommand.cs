using System.CommandLine;
using Clickwise.Data.Readers;
using Clickwise.Experiments;
using Clickwise.Experiments.Figures;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise sweep</c>: the DeepFM journal paper's hyper-parameter study (Figs. 10-14) — one setting of a base model
/// varied over values, several seeds each, tabulated with Welch p-values against the base's value and drawn.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var options = new TrainOptions();
        var output = new Option<string>("--output", "-o") { Description = "Directory for sweep.md, sweep.json, the figures and the models", Required = true };
        var vary = new Option<string>("--vary")
        {
            Description = $"The setting varied: {string.Join(", ", SweepSetting.Names)} (shape: the base's depth and total neurons as constant, increasing, decreasing or diamond layers)",
            Required = true,
        };
        var values = new Option<string?>("--values")
        {
            Description = "Comma-separated values; default the paper's: relu,tanh; dropout keep probability 1.0,…,0.5; width 100,200,400,800; "
                + "depth 1,3,5,7; shape constant,increasing,decreasing,diamond",
        };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per value (from --seed on)", DefaultValueFactory = _ => 3 };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the table" };
        var resume = new Option<bool>("--resume")
        {
            Description = "Keep the models already in the output's sweep.json (an interrupted sweep of the same data and setting) and train the rest",
        };
        var command = new Command("sweep", "Vary one hyper-parameter of a model over values with several seeds each (DeepFM journal paper, Figs. 10-14)");
        options.AddTo(command, sparsity: false, schedule: false);
        CommonOptions.AddAll(command, output, vary, values, seeds, quiet, resume);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string setting = parse.GetValue(vary)!;
            if (!SweepSetting.Names.Contains(setting))
            {
                throw new UsageException($"unknown setting '{setting}' in --vary; known: {string.Join(", ", SweepSetting.Names)}");
            }

            if (parse.GetValue(seeds) < 1)
            {
                throw new UsageException("--seeds must be >= 1");
            }

            string[] list = parse.GetValue(values) is { } given
                ? given.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [.. SweepSetting.PaperValues(setting)];
            string directory = parse.GetValue(output)!;
            TrainRequest request = options.Request(parse, Path.Combine(directory, "unused.cwm"), Path.Combine(directory, "runs"));
            try
            {
                foreach (string value in list)
                {
                    SweepSetting.Apply(request.Model, setting, value);
                }
            }
            catch (FormatException e)
            {
                throw new UsageException($"--values: {e.Message}");
            }

            if (list.Length == 0 || list.Distinct().Count() != list.Length)
            {
                throw new UsageException("--values must name at least one value, each once");
            }

            var input = new InputProgress();
            request = request with { Data = request.Data with { Progress = input } };
            string title = $"Hyper-parameter sweep: {Path.GetFileName(request.Data.Path)}";
            var files = new StudyOutput<SweepReport>(directory, "sweep", r => SweepMarkdown.Render(r, title), (r, dir) => StudyFigures.Write(r, dir));
            using RunLock runLock = RunLock.Acquire(directory);
            SweepReport report;
            using (var shown = new StudyProgress("sweep", input, parse.GetValue(quiet)))
            {
                report = HyperparameterSweep.Run(request, setting, list, parse.GetValue(seeds), shown.Member, resumeFrom: files.Earlier(parse.GetValue(resume)), progress: files.Save);
            }

            files.Save(report);
            Console.WriteLine(SweepMarkdown.Render(report, title));
            return ExitCodes.Success;
        }));
        return command;
    }
}
