using System.CommandLine;
using System.Globalization;
using Clickwise.Experiments;
using Clickwise.Experiments.Figures;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise ensemble</c>: DeepLight's latency-budgeted ensembles across model types, over the pruned models of
/// several <c>deeplight</c> studies of one dataset, written as Markdown, JSON and a figure.
/// </summary>
internal static class EnsembleCommand
{
    public static Command Create()
    {
        var studies = new Argument<string[]>("studies")
        {
            Description = "deeplight output directories of the same data, config and split (e.g. one per model type)",
            Arity = ArgumentArity.OneOrMore,
        };
        var options = new TrainOptions();
        var output = new Option<string>("--output", "-o") { Description = "Directory for ensemble.md, ensemble.json and the figure", Required = true };
        var budgets = new Option<string>("--budgets")
        {
            Description = "Batch-1 latency budgets in µs, comma-separated (default: the paper's 0.5 ms)",
            DefaultValueFactory = _ => "500",
        };
        var requests = new Option<int>("--requests") { Description = "Batch-1 requests timed per model and ensemble", DefaultValueFactory = _ => 10_000 };
        var command = new Command("ensemble", "Ensemble deeplight studies' pruned models across types under latency budgets, chosen by validation AUC (DeepLight §5.4)");
        command.Arguments.Add(studies);
        options.AddTo(command, sparsity: false, schedule: false, model: false);
        CommonOptions.AddAll(command, output, budgets, requests);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string directory = parse.GetValue(output)!;
            if (parse.GetValue(requests) < 100)
            {
                throw new UsageException("--requests must be >= 100");
            }

            double[] limits = ParseBudgets(parse.GetValue(budgets)!);
            var reports = new List<(string Name, PruningStudyReport Report)>();
            foreach (string study in parse.GetValue(studies)!)
            {
                string json = Path.Combine(study, "deeplight.json");
                if (!File.Exists(json))
                {
                    throw new FileNotFoundException($"{json}: not found; give deeplight output directories", json);
                }

                reports.Add((Path.GetFileName(Path.TrimEndingDirectorySeparator(study)), ConfigJson.Deserialize<PruningStudyReport>(File.ReadAllText(json), json)));
            }

            TrainRequest request = options.Request(parse, Path.Combine(directory, "unused.cwm"), Path.Combine(directory, "data"));
            var ensemble = new CrossModelEnsembleOptions { BudgetsMicros = limits, LatencyRequests = parse.GetValue(requests) };
            string title = $"Cross-model ensembles: {string.Join(", ", reports.Select(r => r.Name))}";
            var files = new StudyOutput<CrossModelEnsembleReport>(directory, "ensemble", r => CrossModelEnsembleMarkdown.Render(r, title),
                (r, dir) => StudyFigures.Write(r, dir));
            using RunLock runLock = RunLock.Acquire(directory);
            CrossModelEnsembleReport report = CrossModelEnsemble.Run(request, CrossModelEnsemble.Candidates(reports), ensemble);
            files.Save(report);
            Console.WriteLine(CrossModelEnsembleMarkdown.Render(report, title));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static double[] ParseBudgets(string text)
    {
        double[] limits = [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(item =>
            double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && b > 0 && double.IsFinite(b)
                ? b
                : throw new UsageException($"--budgets: '{item}' is not a positive number of µs"))];
        return limits.Length > 0 ? limits : throw new UsageException("--budgets: no budget given");
    }
}
