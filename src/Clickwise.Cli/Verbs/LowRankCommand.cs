using System.CommandLine;
using System.Text;
using Clickwise.Compression.LowRank;
using Clickwise.Compression.Pruning;
using Clickwise.Experiments;
using Clickwise.Experiments.Figures;
using Clickwise.IO;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Training;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise lowrank</c>: seed 002's evaluation on one dataset — base, control, AFM and SVD compressions of the DNN
/// before and after fine-tuning, the ReLU ablation, rank sweeps, seeds and the energy table — as Markdown and JSON.
/// </summary>
internal static class LowRankCommand
{
    public static Command Create()
    {
        var options = new TrainOptions();
        var output = new Option<string>("--output", "-o") { Description = "Directory for lowrank.md, lowrank.json and the models", Required = true };
        var mlpRank = new Option<string?>("--mlp-rank")
        {
            Description = "Ranks of the DNN's hidden layers (0 keeps one) or energy:ρ (default 0,k,k with k = 0.16·width: 400 → 64)",
        };
        var embeddingRank = new Option<int?>("--embedding-rank")
        {
            Description = "k of the compressed embeddings, 0 skips them (default: embedding dim / 8, the paper's 16 → 2)",
        };
        var embRanks = new Option<string?>("--emb-ranks") { Description = "Embedding rank sweep on the base model, e.g. 2,4,8,12" };
        var ttRank = new Option<int>("--tt-rank")
        {
            Description = "Inner rank of the TT EMB rows (the two largest fields as tensor trains), 0 skips them",
            DefaultValueFactory = _ => 16,
        };
        var qrCollisions = new Option<int?>("--qr-collisions")
        {
            Description = "m of Table 17's QR EMB row, trained from scratch (default: sized to AFM EMB's table; 0 skips it)",
        };
        var noSvd = new Option<bool>("--no-svd") { Description = "Skip the SVD baseline" };
        var reluAblation = new Option<bool>("--relu-ablation") { Description = "Also compress by AFM without the ReLU between the factors, and by SVD with it (the paper's Table 6 and its SVD structure)" };
        var mlpRanks = new Option<string?>("--mlp-ranks") { Description = "Rank sweep of the compressed layers, e.g. 32,64,96,128" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds for base, control and AFM", DefaultValueFactory = _ => 1 };
        var requests = new Option<int>("--requests") { Description = "Batch-1 requests timed per model", DefaultValueFactory = _ => 10_000 };
        var prune = new Option<string?>("--prune")
        {
            Description = "Also combine with DeepLight pruning at these targets, e.g. \"D-90% & R-90% & F-40%\": the AFM pipeline's model pruned, "
                + "and the base pruned then compressed",
        };
        var pruneEpochs = new Option<int>("--prune-epochs") { Description = "Epochs of each pruning run", DefaultValueFactory = _ => 1 };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the tables" };
        var ftLr = new Option<double?>("--ft-lr") { Description = "Learning rate of the fine-tune epochs (default 1e-3, the paper's)" };
        var ftBatch = new Option<int?>("--ft-batch-size")
        {
            Description = "Batch of the fine-tune epochs: the DNN stage's and the control's, then half of it for the embedding stage "
                + "(default 20000 and 10000, the paper's on Criteo; smaller data needs smaller batches to take any steps)",
        };
        var models = new Option<string?>("--models")
        {
            Description = "Several models, comma-separated (e.g. the paper's Table 2: dcn,deepfm,nfm,autoint+,fibinet,dcnv2,gdcn), each with its "
                + "preset's settings, on data prepared once; instead of --model",
        };
        var command = new Command("lowrank", "Reproduce the low-rank compression tables (AFM vs SVD, fine-tuning, control) on a dataset");
        options.AddTo(command, sparsity: false);
        CommonOptions.AddAll(command, output, mlpRank, embeddingRank, embRanks, ttRank, qrCollisions, noSvd, reluAblation, mlpRanks, seeds, requests, prune,
            pruneEpochs, quiet, ftLr, ftBatch, models);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string directory = parse.GetValue(output)!;
            if (parse.GetValue(requests) < 100)
            {
                throw new UsageException("--requests must be >= 100");
            }

            if (parse.GetValue(seeds) < 1)
            {
                throw new UsageException("--seeds must be >= 1");
            }

            if (parse.GetValue(pruneEpochs) < 1)
            {
                throw new UsageException("--prune-epochs must be >= 1");
            }

            if (parse.GetValue(qrCollisions) is < 0 or 1)
            {
                throw new UsageException("--qr-collisions takes 0 (no QR EMB row) or 2 or more");
            }

            string? targets = parse.GetValue(prune) is { } t ? Parsed(() => SparsityTargets.Parse(t).ToPaperNotation(), "--prune") : null;
            TrainRequest request = options.Request(parse, Path.Combine(directory, "unused.cwm"), Path.Combine(directory, "runs"));
            var study = new LowRankStudyOptions
            {
                MlpRanks = parse.GetValue(mlpRank) is { } ranks ? Parsed(() => RankSpec.Parse(ranks), "--mlp-rank") : null,
                SvdBaseline = !parse.GetValue(noSvd),
                ReluAblation = parse.GetValue(reluAblation),
                MlpRankSweep = Ranks(parse.GetValue(mlpRanks), "--mlp-ranks"),
                EmbeddingRank = parse.GetValue(embeddingRank),
                EmbeddingRankSweep = Ranks(parse.GetValue(embRanks), "--emb-ranks"),
                TtRank = parse.GetValue(ttRank),
                QrCollisions = parse.GetValue(qrCollisions),
                Seeds = parse.GetValue(seeds),
                LatencyRequests = parse.GetValue(requests),
                Prune = targets,
                PruneEpochs = parse.GetValue(pruneEpochs),
            };
            if (parse.GetValue(ftLr) is double rate)
            {
                study = study with { FineTuneLearningRate = rate > 0 ? rate : throw new UsageException("--ft-lr must be > 0") };
            }

            if (parse.GetValue(ftBatch) is int batch)
            {
                study = study with
                {
                    FineTuneBatchSize = batch >= 2 ? batch : throw new UsageException("--ft-batch-size must be >= 2"),
                    FineTuneEmbeddingBatchSize = batch / 2,
                };
            }

            bool quietRun = parse.GetValue(quiet);
            IEnumerable<ITrainingObserver> Shown(string label)
            {
                if (!quietRun)
                {
                    Console.Error.WriteLine($"training: {label}");
                }

                return [];
            }

            string[] names = parse.GetValue(models) is { } list
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            if (parse.GetValue(models) is not null && (names.Length == 0 || names.Any(n => !ModelRegistry.Names.Contains(n))))
            {
                throw new UsageException($"unknown model '{names.FirstOrDefault(n => !ModelRegistry.Names.Contains(n))}' in --models; "
                    + $"known: {string.Join(", ", ModelRegistry.Names)}");
            }

            using RunLock runLock = RunLock.Acquire(directory);
            IReadOnlyList<LowRankStudyReport> reports = names.Length == 0
                ? [LowRankStudy.Run(request, study, Shown)]
                : LowRankStudy.RunModels(request, names, name => options.ModelFor(parse, name), name => options.TrainingFor(parse, name), study, Shown);
            string markdown = LowRankStudyMarkdown.Render(reports, $"Low-rank compression study: {Path.GetFileName(request.Data.Path)}");
            Directory.CreateDirectory(directory);
            OutputFile.WriteAllBytes(Path.Combine(directory, "lowrank.md"), Encoding.UTF8.GetBytes(markdown));
            OutputFile.WriteAllBytes(Path.Combine(directory, "lowrank.json"), Encoding.UTF8.GetBytes(reports.Count == 1 ? ConfigJson.Serialize(reports[0]) : ConfigJson.Serialize(reports)));
            StudyFigures.Write(reports, directory);
            Console.WriteLine(markdown);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static int[] Ranks(string? list, string option) => list is null
        ? []
        : Parsed(() => list.Split(',').Select(k => int.Parse(k.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray(), option);

    private static T Parsed<T>(Func<T> parse, string option)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new UsageException($"{option}: {e.Message}");
        }
    }
}
