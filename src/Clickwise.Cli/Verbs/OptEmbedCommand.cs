using System.CommandLine;
using System.Text;
using Clickwise.Compression.EmbeddingSearch;
using Clickwise.Compression.Pruning;
using Clickwise.Data.Synthetic;
using Clickwise.Experiments;
using Clickwise.Experiments.Figures;
using Clickwise.IO;
using Clickwise.Models;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise optembed</c>: seed 004 on one dataset and model — the original, the supernet with learnable row thresholds
/// and sampled widths, the evolutionary search over per-field widths, retraining with the found masks — as Markdown and
/// JSON, with the retrained model copied to the output directory.
/// </summary>
internal static class OptEmbedCommand
{
    public static Command Create()
    {
        var options = new TrainOptions();
        var output = new Option<string>("--output", "-o") { Description = "Directory for optembed.md, optembed.json, optembed.cwm and the runs", Required = true };
        var alpha = new Option<double>("--alpha") { Description = "α of the threshold penalty α·Σexp(−t)", DefaultValueFactory = _ => 1e-4 };
        var thresholdLr = new Option<double>("--threshold-lr") { Description = "Plain SGD's learning rate of the thresholds", DefaultValueFactory = _ => 1e-2 };
        var perFeature = new Option<bool>("--per-feature") { Description = "One threshold per feature row instead of one per field" };
        var generations = new Option<int>("--generations") { Description = "Generations of the search", DefaultValueFactory = _ => 30 };
        var population = new Option<string>("--population")
        {
            Description = "Mutations + crossovers a generation, as M+C", DefaultValueFactory = _ => "10+10",
        };
        var mutationProb = new Option<double>("--mutation-prob") { Description = "Per-field mutation probability", DefaultValueFactory = _ => 0.1 };
        var topK = new Option<int>("--topk") { Description = "Size of the search's Top-k archive", DefaultValueFactory = _ => 15 };
        var budget = new Option<long>("--budget") { Description = "Most table parameters Σ kept·width a candidate may keep (0: none)" };
        var retrainStart = new Option<string>("--retrain-start")
        {
            Description = "Where the retrained model starts: rewind (the supernet's start, after any FNN pre-training), draw (the supernet's draw; "
                + "an FNN reruns its FM pre-training under the found mask and widths) or fresh (a new draw)",
            DefaultValueFactory = _ => "rewind",
        }.AcceptOnlyFromAmong("rewind", "draw", "fresh");
        var ablations = new Option<bool>("--ablations") { Description = "Also run OptEmbed-E (row mask only) and OptEmbed-D (widths only), the paper's Table 3" };
        var variants = new Option<string?>("--variants")
        {
            Description = "The pipelines to run after the original, comma-separated: full, E (row mask only), D (widths only); default full (with --ablations: all three)",
        };
        var syntheticTeacher = new Option<string?>("--synthetic-teacher")
        {
            Description = "The data is `clickwise synth --profile P` output (criteo or avazu): report which pruned rows the teacher calls rare",
        };
        var models = new Option<string>("--models") { Description = "Comma-separated models for Table 2 over models (default: --model alone)" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per model (from --seed on); more than one tabulates mean ± std and Welch's p", DefaultValueFactory = _ => 1 };
        var qrCollisions = new Option<int>("--qr-collisions")
        {
            Description = "m of the quotient-remainder baseline row (0: size-matched to OptEmbed's kept parameters)",
        };
        var requests = new Option<int>("--requests") { Description = "Batch-1 requests timed per model", DefaultValueFactory = _ => 10_000 };
        var prune = new Option<string?>("--prune")
        {
            Description = "Also prune the retrained OptEmbed model with DeepLight to these targets (e.g. \"D-90%\"), one more row",
        };
        var command = new Command("optembed", "Learn a pruned, variable-width embedding table (OptEmbed: supernet, evolutionary search, retrain) and report the paper's tables");
        options.AddTo(command, sparsity: false);
        CommonOptions.AddAll(command, output, alpha, thresholdLr, perFeature, generations, population, mutationProb, topK, budget, retrainStart, ablations, variants, syntheticTeacher, models, seeds, qrCollisions, requests, prune);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string directory = parse.GetValue(output)!;
            string[] counts = parse.GetValue(population)!.Split('+');
            if (counts.Length != 2 || !int.TryParse(counts[0], out int mutations) || !int.TryParse(counts[1], out int crossovers))
            {
                throw new UsageException($"--population takes M+C (mutations + crossovers), got '{parse.GetValue(population)}'");
            }

            if (parse.GetValue(requests) < 100 || parse.GetValue(seeds) < 1 || parse.GetValue(qrCollisions) is < 0 or 1)
            {
                throw new UsageException("--requests must be >= 100, --seeds >= 1 and --qr-collisions 0 (size-matched) or >= 2");
            }

            string[] names = (parse.GetValue(models) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            string? unknown = names.FirstOrDefault(n => !ModelRegistry.Names.Contains(n));
            if (unknown is not null)
            {
                throw new UsageException($"unknown model '{unknown}' in --models; known: {string.Join(", ", ModelRegistry.Names)}");
            }

            if (!(parse.GetValue(alpha) >= 0) || !(parse.GetValue(thresholdLr) >= 0))
            {
                throw new UsageException("--alpha and --threshold-lr take 0 or more");
            }

            var evolution = new EvolutionSettings
            {
                Generations = parse.GetValue(generations),
                Mutations = mutations,
                Crossovers = crossovers,
                MutationProbability = parse.GetValue(mutationProb),
                TopK = parse.GetValue(topK),
                Budget = parse.GetValue(budget),
            };
            try
            {
                evolution.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            string? targets;
            try
            {
                targets = parse.GetValue(prune) is { } t ? SparsityTargets.Parse(t).ToPaperNotation() : null;
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new UsageException($"--prune: {e.Message}");
            }

            TrainRequest request = options.Request(parse, Path.Combine(directory, "unused.cwm"), Path.Combine(directory, "runs"));
            var study = new OptEmbedStudyOptions
            {
                Alpha = parse.GetValue(alpha),
                ThresholdLr = parse.GetValue(thresholdLr),
                Threshold = parse.GetValue(perFeature) ? RowThreshold.Feature : RowThreshold.Field,
                Evolution = evolution with { Seed = request.Model.Seed },
                RetrainStart = Enum.Parse<RetrainStart>(parse.GetValue(retrainStart)!, ignoreCase: true),
                Variants = Variants(parse.GetValue(variants), parse.GetValue(ablations)),
                SyntheticTeacher = parse.GetValue(syntheticTeacher) is { } profile
                    ? profile is "criteo" or "avazu" ? TeacherCategories.For(profile) : throw new UsageException($"--synthetic-teacher takes criteo or avazu, got '{profile}'")
                    : null,
                QrCollisions = parse.GetValue(qrCollisions),
                LatencyRequests = parse.GetValue(requests),
                Prune = targets,
            };
            using RunLock runLock = RunLock.Acquire(directory);
            if (names.Length > 0 || parse.GetValue(seeds) > 1)
            {
                string title = $"OptEmbed Table 2: {Path.GetFileName(request.Data.Path)}";
                var files = new StudyOutput<OptEmbedTable2Report>(directory, "optembed", r => OptEmbedStudyMarkdown.Render(r, title), (r, dir) => StudyFigures.Write(r, dir));
                OptEmbedTable2Report table = OptEmbedTable2.Run(request, study, names.Length > 0 ? names : [request.Model.Name], parse.GetValue(seeds),
                    name => options.ModelFor(parse, name), label =>
                    {
                        Console.Error.WriteLine($"training: {label}");
                        return [];
                    }, files.Save);
                files.Save(table);
                OutputFile.WriteAllBytes(Path.Combine(directory, "optembed.cwm"), File.ReadAllBytes(Compressed(table.Runs[0]).ModelPath));
                Console.WriteLine(OptEmbedStudyMarkdown.Render(table, title));
                return ExitCodes.Success;
            }

            OptEmbedStudyReport report = OptEmbedStudy.Run(request, study, label =>
            {
                Console.Error.WriteLine($"training: {label}");
                return [];
            });
            string markdown = OptEmbedStudyMarkdown.Render(report, $"OptEmbed study: {Path.GetFileName(request.Data.Path)}");
            Directory.CreateDirectory(directory);
            OutputFile.WriteAllBytes(Path.Combine(directory, "optembed.md"), Encoding.UTF8.GetBytes(markdown));
            OutputFile.WriteAllBytes(Path.Combine(directory, "optembed.json"), Encoding.UTF8.GetBytes(ConfigJson.Serialize(report)));
            OutputFile.WriteAllBytes(Path.Combine(directory, "optembed.cwm"), File.ReadAllBytes(Compressed(report).ModelPath));
            Console.WriteLine(markdown);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The model the verb copies out: full OptEmbed's, else the first ablation's (the row after the original).</summary>
    private static OptEmbedRow Compressed(OptEmbedStudyReport report) => report.Rows.SingleOrDefault(r => r.Label == "OptEmbed") ?? report.Rows[1];

    private static OptEmbedVariants Variants(string? list, bool ablations)
    {
        if (list is null)
        {
            return ablations ? OptEmbedVariants.Full | OptEmbedVariants.RowsOnly | OptEmbedVariants.WidthsOnly : OptEmbedVariants.Full;
        }

        if (ablations)
        {
            throw new UsageException("give --variants or --ablations, not both");
        }

        OptEmbedVariants variants = 0;
        foreach (string name in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            variants |= name.ToUpperInvariant() switch
            {
                "FULL" => OptEmbedVariants.Full,
                "E" => OptEmbedVariants.RowsOnly,
                "D" => OptEmbedVariants.WidthsOnly,
                _ => throw new UsageException($"--variants: unknown pipeline '{name}'; known: full, E, D"),
            };
        }

        return variants != 0 ? variants : throw new UsageException("--variants names no pipeline");
    }
}
