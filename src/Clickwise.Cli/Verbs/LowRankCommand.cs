using System.CommandLine;
using System.Text;
using Clickwise.Compression.LowRank;
using Clickwise.Experiments;
using Clickwise.IO;
using Clickwise.Runs;

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
        var noSvd = new Option<bool>("--no-svd") { Description = "Skip the SVD baseline" };
        var reluAblation = new Option<bool>("--relu-ablation") { Description = "Also compress without the ReLU between the factors" };
        var mlpRanks = new Option<string?>("--mlp-ranks") { Description = "Rank sweep of the compressed layers, e.g. 32,64,96,128" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds for base, control and AFM", DefaultValueFactory = _ => 1 };
        var requests = new Option<int>("--requests") { Description = "Batch-1 requests timed per model", DefaultValueFactory = _ => 10_000 };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the tables" };
        var command = new Command("lowrank", "Reproduce the low-rank compression tables (AFM vs SVD, fine-tuning, control) on a dataset");
        options.AddTo(command, sparsity: false);
        CommonOptions.AddAll(command, output, mlpRank, embeddingRank, embRanks, ttRank, noSvd, reluAblation, mlpRanks, seeds, requests, quiet);
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
                Seeds = parse.GetValue(seeds),
                LatencyRequests = parse.GetValue(requests),
            };
            bool quietRun = parse.GetValue(quiet);
            LowRankStudyReport report = LowRankStudy.Run(request, study, label =>
            {
                if (!quietRun)
                {
                    Console.Error.WriteLine($"training: {label}");
                }

                return [];
            });
            string markdown = LowRankStudyMarkdown.Render(report, $"Low-rank compression study: {Path.GetFileName(request.Data.Path)}");
            Directory.CreateDirectory(directory);
            AtomicFile.WriteAllBytes(Path.Combine(directory, "lowrank.md"), Encoding.UTF8.GetBytes(markdown));
            AtomicFile.WriteAllBytes(Path.Combine(directory, "lowrank.json"), Encoding.UTF8.GetBytes(ConfigJson.Serialize(report)));
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
