using System.CommandLine;
using Clickwise.Compression.Pruning;
using Clickwise.Data.Cache;
using Clickwise.Models;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary><c>clickwise train</c>: text file → vocabulary + cache → split → train → test metrics → model file.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var format = CommonOptions.Format();
        var model = new Option<string?>("--model") { Description = $"Model: {string.Join(", ", ModelRegistry.Names)} (default deepfwfm)" };
        var output = new Option<string>("--output", "-o") { Description = "Model file to write", Required = true };
        var config = new Option<string?>("--config") { Description = "Experiment config file (JSON; see configs/)" };
        var preset = new Option<string?>("--preset") { Description = "criteo or avazu: the seed papers' settings (default criteo)" };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (early stopping may end sooner)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of initialisation, split and data order" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Mini-batch size" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate" };
        var embeddingDim = new Option<int?>("--embedding-dim") { Description = "Embedding width D" };
        var hidden = new Option<string?>("--hidden") { Description = "DNN hidden units, e.g. 400,400,400" };
        var dropout = new Option<float?>("--dropout") { Description = "Dropout rate of the DNN" };
        var minCount = new Option<int?>("--min-count") { Description = "Categories seen fewer times go to the OOV id" };
        var splitMode = new Option<string?>("--split-mode") { Description = "random (seeded) or sequential (by row order)" };
        var workdir = new Option<string?>("--workdir") { Description = "Cache, metrics.jsonl and checkpoints (default: <output>.run)" };
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint of the same run" };
        var sparsity = new Option<string?>("--sparsity")
        {
            Description = "Prune while training (DeepLight): dnn=0.9,r=0.9,emb=0.4 or \"D-90% & R-90% & F-40%\"",
        };
        var pruneWarmup = new Option<int?>("--prune-warmup") { Description = "Dense epochs before pruning starts (default 2)" };
        var pruneEvery = new Option<int?>("--prune-every") { Description = "Re-prune every N iterations (default 10)" };
        var pruneDecayIters = new Option<double?>("--prune-decay-iters") { Description = "U of s = S(1 - D^(k/U)) (default: fitted so the target is reached one epoch before the end)" };
        var prunePerField = new Option<bool>("--prune-per-field") { Description = "One embedding threshold per field instead of one global" };
        var pruneRegrow = new Option<bool>("--prune-regrow") { Description = "Let pruned weights regrow between prunes (reference code)" };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the final report" };
        var skipBad = CommonOptions.SkipBad();
        var maxBad = CommonOptions.MaxBadRatio();
        var threads = CommonOptions.Threads();
        var command = new Command("train", "Train a model on a file's train/valid split and report test metrics");
        CommonOptions.AddAll(command, data, format, model, output, config, preset, epochs, seed, batchSize, lr, embeddingDim,
            hidden, dropout, minCount, splitMode, workdir, resume, sparsity, pruneWarmup, pruneEvery, pruneDecayIters,
            prunePerField, pruneRegrow, quiet, skipBad, maxBad, threads);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            string path = parse.GetValue(data)!;
            CommonOptions.RequireFile(path);
            string? configPath = parse.GetValue(config);
            RunConfig run = configPath is null ? new RunConfig() : RunConfig.Load(configPath);
            if (parse.GetValue(preset) is { } presetName)
            {
                if (presetName is not ("criteo" or "avazu"))
                {
                    throw new UsageException($"unknown preset '{presetName}'; expected criteo or avazu");
                }

                run = run with { Preset = presetName };
            }

            string formatName = parse.GetResult(format) is null && run.Format is not null ? run.Format : parse.GetValue(format)!;
            var preprocessing = run.ResolvedPreprocessing;
            var modelConfig = run.ResolvedModel;
            var training = run.ResolvedTraining;
            if (parse.GetValue(model) is { } name)
            {
                modelConfig = modelConfig with { Name = name };
            }

            if (!ModelRegistry.Names.Contains(modelConfig.Name))
            {
                throw new UsageException($"unknown model '{modelConfig.Name}'; expected one of: {string.Join(", ", ModelRegistry.Names)}");
            }

            if (parse.GetValue(seed) is int s)
            {
                modelConfig = modelConfig with { Seed = s };
                training = training with { Seed = s };
                preprocessing = preprocessing with { Seed = s };
            }

            if (parse.GetValue(epochs) is int e) training = training with { Epochs = e };
            if (parse.GetValue(batchSize) is int b) training = training with { BatchSize = b };
            if (parse.GetValue(lr) is double rate) training = training with { LearningRate = rate };
            if (parse.GetValue(embeddingDim) is int dim) modelConfig = modelConfig with { EmbeddingDim = dim };
            if (parse.GetValue(dropout) is float p) modelConfig = modelConfig with { Dropout = p };
            if (parse.GetValue(hidden) is { } units) modelConfig = modelConfig with { HiddenUnits = ParseUnits(units) };
            if (parse.GetValue(minCount) is int mc) preprocessing = preprocessing with { MinCount = mc };
            if (parse.GetValue(splitMode) is { } mode)
            {
                preprocessing = preprocessing with
                {
                    SplitMode = mode switch
                    {
                        "random" => SplitMode.Random,
                        "sequential" => SplitMode.Sequential,
                        _ => throw new UsageException($"unknown split mode '{mode}'; expected random or sequential"),
                    },
                };
            }

            PruningConfig? pruning = run.Pruning;
            if (parse.GetValue(sparsity) is { } targets)
            {
                pruning = (pruning ?? new PruningConfig()) with { Sparsity = targets };
            }

            if (pruning is not null)
            {
                if (parse.GetValue(pruneWarmup) is int w) pruning = pruning with { WarmupEpochs = w };
                if (parse.GetValue(pruneEvery) is int every) pruning = pruning with { Interval = every };
                if (parse.GetValue(pruneDecayIters) is double u) pruning = pruning with { DecayIterations = u };
                if (parse.GetValue(prunePerField)) pruning = pruning with { EmbeddingScope = EmbeddingPruningScope.PerField };
                if (parse.GetValue(pruneRegrow)) pruning = pruning with { Regrow = true };
            }
            else if (parse.GetResult(pruneWarmup) is not null || parse.GetResult(pruneEvery) is not null
                     || parse.GetResult(pruneDecayIters) is not null || parse.GetValue(prunePerField) || parse.GetValue(pruneRegrow))
            {
                throw new UsageException("pruning options need --sparsity (or a config file's pruning section)");
            }

            string modelPath = parse.GetValue(output)!;
            var request = new TrainRequest
            {
                Data = new DataSource
                {
                    Path = path,
                    Reader = CommonOptions.Reader(formatName, parse.GetValue(skipBad), parse.GetValue(maxBad)),
                },
                Preprocessing = preprocessing,
                Model = modelConfig,
                Training = training,
                WorkDir = parse.GetValue(workdir) ?? modelPath + ".run",
                ModelPath = modelPath,
                ResumeFrom = parse.GetValue(resume),
                Pruning = pruning,
            };
            try
            {
                TrainRun.Validate(request);
            }
            catch (ArgumentException invalid)
            {
                throw new UsageException(invalid.Message);
            }

            TrainReport report = ConsoleProgress.Run(parse.GetValue(quiet), observers => TrainRun.Execute(request, observers));
            Reports.PrintTrain(report);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static int[] ParseUnits(string text)
    {
        try
        {
            int[] units = text.Length == 0 ? [] : text.Split(',').Select(int.Parse).ToArray();
            return units.Any(u => u < 1) ? throw new FormatException() : units;
        }
        catch (FormatException)
        {
            throw new UsageException($"--hidden wants positive integers separated by commas, got '{text}'");
        }
    }
}
