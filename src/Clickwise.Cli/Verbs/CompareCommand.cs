using System.CommandLine;
using Clickwise.Data.Readers;
using Clickwise.Experiments;
using Clickwise.Experiments.Figures;
using Clickwise.Models;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise compare</c>: several models on one dataset and split, several seeds each — the seed paper's
/// Table 2 (test logloss and AUC as mean ± std, parameters, batch-1 latency, training samples/s).
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var options = new TrainOptions();
        var models = new Option<string>("--models")
        {
            Description = "Comma-separated model names (default: every registered model)",
            DefaultValueFactory = _ => string.Join(',', ModelRegistry.Names),
        };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per model (from --seed on)", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--output", "-o") { Description = "Directory for compare.md, compare.json and the models", Required = true };
        var requests = new Option<int>("--requests") { Description = "Batch-1 requests timed per model", DefaultValueFactory = _ => 10_000 };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the table" };
        var resume = new Option<bool>("--resume")
        {
            Description = "Keep the models already in the output's compare.json (an interrupted run of the same data, split and seeds) and train the rest",
        };
        var reading = new Option<string>("--reading")
        {
            Description = "How training reads batches: async (prefetched; the default unless --sync-reading), sync (on the training thread), or both (a row each, and their ratio: the DeepFM paper's Table I)",
        };
        reading.AcceptOnlyFromAmong("async", "sync", "both");
        var command = new Command("compare", "Train several models with several seeds on one split and tabulate them (paper Table 2)");
        options.AddTo(command, sparsity: false, schedule: false, model: false);
        CommonOptions.AddAll(command, models, seeds, output, requests, quiet, resume, reading);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string[] names = parse.GetValue(models)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            string? unknown = names.FirstOrDefault(n => !ModelRegistry.Names.Contains(n));
            if (names.Length == 0 || unknown is not null)
            {
                throw new UsageException($"unknown model '{unknown}' in --models; known: {string.Join(", ", ModelRegistry.Names)}");
            }

            if (parse.GetValue(seeds) < 1 || parse.GetValue(requests) < 100)
            {
                throw new UsageException("--seeds must be >= 1 and --requests >= 100");
            }

            string directory = parse.GetValue(output)!;
            TrainRequest request = options.Request(parse, Path.Combine(directory, "unused.cwm"), Path.Combine(directory, "runs"));
            var input = new InputProgress();
            request = request with { Data = request.Data with { Progress = input } };
            string title = $"Model comparison: {Path.GetFileName(request.Data.Path)}";
            var files = new StudyOutput<ComparisonReport>(directory, "compare", r => ComparisonMarkdown.Render(r, title),
                (r, dir) => StudyFigures.Write(r, dir, request.WorkDir));
            using RunLock runLock = RunLock.Acquire(directory);
            ComparisonReport report;
            using (var shown = new StudyProgress("compare", input, parse.GetValue(quiet)))
            {
                report = ModelComparison.Run(request, names, parse.GetValue(seeds), parse.GetValue(requests), shown.Member, modelFor: name => options.ModelFor(parse, name), resumeFrom: files.Earlier(parse.GetValue(resume)), progress: files.Save,
                    trainingFor: name => options.TrainingFor(parse, name), readings: parse.GetValue(reading) switch
                    {
                        "sync" => [true],
                        "both" => [false, true],
                        "async" => [false],
                        _ => null,
                    });
            }

            files.Save(report);
            Console.WriteLine(ComparisonMarkdown.Render(report, title));
            return ExitCodes.Success;
        }));
        return command;
    }
}
