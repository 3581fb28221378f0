using System.CommandLine;
using Clickwise.Data.Readers;
using Clickwise.Experiments;
using Clickwise.Experiments.Figures;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise deeplight</c>: DeepLight's evaluation on one dataset — dense vs the paper's three pruning settings,
/// size-matched dense networks, and ensembles under a latency budget — written as Markdown and JSON.
/// </summary>
internal static class DeepLightCommand
{
    public static Command Create()
    {
        var options = new TrainOptions();
        var output = new Option<string>("--output", "-o") { Description = "Directory for deeplight.md, deeplight.json and the models", Required = true };
        var ensembleModels = new Option<int>("--ensemble-models")
        {
            Description = "Seeds of the low-latency setting to ensemble (1 skips ensembles)",
            DefaultValueFactory = _ => 4,
        };
        var noSizeMatched = new Option<bool>("--no-size-matched") { Description = "Skip the size-matched dense networks (N-X)" };
        var noEmbeddingMatched = new Option<bool>("--no-embedding-matched")
        {
            Description = "Skip the smaller dense embeddings matched to each pruned one (E-X, paper Table 4)",
        };
        var requests = new Option<int>("--requests") { Description = "Batch-1 requests timed per model", DefaultValueFactory = _ => 10_000 };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the tables" };
        var seeds = new Option<int>("--seeds")
        {
            Description = "Seeds of every setting and size-matched network (from --seed on): mean ± std and Welch p-values against the dense model",
            DefaultValueFactory = _ => 1,
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Keep the models already in the output's deeplight.json (an interrupted run of the same data and split) and train the rest",
        };
        var settings = new Option<string?>("--settings")
        {
            Description = "Pruning settings after the dense model, comma-separated, e.g. \"D-80%,D-90%,D-99% & F-40%\" (a sweep, paper Figs. 3-4); "
                + "default: the paper's for the model (deepfwfm: Table 5's three; deepfm, nfm: D-98% & F-40%; xdeepfm: D-99% & C-99% & F-40%)",
        };
        var command = new Command("deeplight", "Reproduce DeepLight's pruning tables (settings, N-X, ensembles) on a dataset, for deepfwfm, deepfm, nfm or xdeepfm");
        options.AddTo(command, sparsity: false);
        CommonOptions.AddAll(command, output, ensembleModels, noSizeMatched, noEmbeddingMatched, requests, quiet, seeds, resume, settings);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string directory = parse.GetValue(output)!;
            if (parse.GetValue(requests) < 100 || parse.GetValue(seeds) < 1)
            {
                throw new UsageException("--requests must be >= 100 and --seeds >= 1");
            }

            TrainRequest request = options.Request(parse, Path.Combine(directory, "unused.cwm"), Path.Combine(directory, "runs"),
                pruningDefaults: true);
            string model = request.Model.Name;
            IReadOnlyList<PruningSetting> chosen;
            try
            {
                chosen = parse.GetValue(settings) is { } list
                    ? PruningStudyOptions.ParseSettings(list)
                    : PruningStudyOptions.PaperSettingsFor(model)
                      ?? throw new UsageException($"the paper prunes deepfwfm, deepfm, nfm and xdeepfm, not {model}: give its settings with --settings");
            }
            catch (FormatException e)
            {
                throw new UsageException($"--settings: {e.Message}");
            }

            var study = new PruningStudyOptions
            {
                Settings = chosen,
                EnsembleModels = parse.GetValue(ensembleModels),
                SizeMatched = !parse.GetValue(noSizeMatched),
                EmbeddingMatched = !parse.GetValue(noEmbeddingMatched),
                LatencyRequests = parse.GetValue(requests),
                Seeds = parse.GetValue(seeds),
            };
            var input = new InputProgress();
            request = request with { Data = request.Data with { Progress = input } };
            string title = $"DeepLight pruning study: {Path.GetFileName(request.Data.Path)}";
            var files = new StudyOutput<PruningStudyReport>(directory, "deeplight", r => PruningStudyMarkdown.Render(r, title),
                (r, dir) => StudyFigures.Write(r, dir, request.WorkDir));
            using RunLock runLock = RunLock.Acquire(directory);
            PruningStudyReport report;
            using (var shown = new StudyProgress("deeplight", input, parse.GetValue(quiet)))
            {
                report = PruningStudy.Run(request, study, shown.Member, resumeFrom: files.Earlier(parse.GetValue(resume)), progress: files.Save);
            }

            files.Save(report);
            Console.WriteLine(PruningStudyMarkdown.Render(report, title));
            return ExitCodes.Success;
        }));
        return command;
    }
}
