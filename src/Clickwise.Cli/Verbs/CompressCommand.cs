using System.CommandLine;
using Clickwise.Compression.LowRank;
using Clickwise.Data.Cache;
using Clickwise.Metrics;
using Clickwise.Models;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary>
/// <c>clickwise compress</c>: low-rank compression of a trained model (seed 002) — AFM or SVD of its DNN layers and/or its
/// embedding table, or the largest fields' tables as tensor trains (TT-SVD) — from the training part of the prepared directory it was trained on; prints the test metrics before
/// fine-tuning (fine-tune with <c>train -m OUT</c>), the energy table and the parameters before and after.
/// </summary>
internal static class CompressCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = new Option<string>("--data", "-d")
        {
            Description = "The prepared directory the model was trained on (clickwise prepare): statistics from its training part, metrics on its test part",
            Required = true,
        };
        var method = new Option<string>("--method") { Description = "afm, svd or tt", DefaultValueFactory = _ => "afm" };
        var mlpRank = new Option<string?>("--mlp-rank") { Description = "Ranks of the DNN's hidden layers (0 keeps one), e.g. 0,64,64, or energy:ρ" };
        var inner = new Option<string>("--inner-activation")
        {
            Description = "Between a DNN layer's two factors: relu (AFM's default) or none",
            DefaultValueFactory = _ => "relu",
        };
        var embeddingRank = new Option<int?>("--embedding-rank") { Description = "k of the compressed embedding table (of the embedding dim)" };
        var ttRank = new Option<int>("--tt-rank") { Description = "tt: the tensor trains' inner rank", DefaultValueFactory = _ => 16 };
        var ttFields = new Option<int>("--tt-fields") { Description = "tt: how many of the largest fields become tensor trains", DefaultValueFactory = _ => 2 };
        var threads = CommonOptions.Threads();
        var output = new Option<string>("--output", "-o") { Description = "Compressed model file to write", Required = true };
        var command = new Command("compress", "Low-rank compression (AFM or SVD) of a model's DNN layers and embeddings, or TT embeddings");
        CommonOptions.AddAll(command, model, data, method, mlpRank, inner, embeddingRank, ttRank, ttFields, threads, output);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            var compute = CommonOptions.Compute(parse.GetValue(threads));
            string modelPath = parse.GetValue(model)!, directory = parse.GetValue(data)!;
            CommonOptions.RequireModel(modelPath, "-m/--model");
            OutputAliases.Refuse(parse.GetValue(output)!, ("-m/--model", modelPath));
            if (!PreparedDirectory.Is(directory))
            {
                throw new UsageException($"{directory} is not a prepared directory: compress reads the training part of the data the model was "
                    + "trained on; prepare it once (clickwise prepare -d FILE … -o DIR) and train and compress from DIR");
            }

            string kind = parse.GetValue(method)!;
            if (kind is not ("afm" or "svd" or "tt"))
            {
                throw new UsageException($"--method takes afm, svd or tt, got '{kind}'");
            }

            bool innerRelu = parse.GetValue(inner) switch
            {
                "relu" => true,
                "none" => false,
                var other => throw new UsageException($"--inner-activation takes relu or none, got '{other}'"),
            };
            RankSpec? ranks = parse.GetValue(mlpRank) is { } text ? Parse(text) : null;
            int? rank = parse.GetValue(embeddingRank);
            if (kind == "tt" && (ranks is not null || rank is not null))
            {
                throw new UsageException("--method tt compresses the largest fields' embeddings (--tt-rank, --tt-fields); --mlp-rank and --embedding-rank are afm/svd's");
            }

            if (kind != "tt" && ranks is null && rank is null)
            {
                throw new UsageException("nothing to compress: give --mlp-rank, --embedding-rank or both");
            }

            ModelArtifact trained = ModelArtifact.Load(modelPath);
            var layers = new List<LowRankLayer>();
            LowRankCompression? result = HeldOut.WithPart(trained, directory, SplitPart.Train, rows =>
            {
                CtrModel current = trained.Instantiate(4096, compute);
                if (kind == "tt")
                {
                    LowRankCompression tt = LowRankEmbedding.Tt(current, parse.GetValue(ttRank), parse.GetValue(ttFields));
                    layers.AddRange(tt.Layers);
                    return tt;
                }

                LowRankCompression? last = null;
                if (ranks is not null)
                {
                    last = kind == "svd" ? SvdMlp.Compress(current, ranks, innerRelu) : AfmMlp.Compress(current, rows, ranks, innerRelu);
                    layers.AddRange(last.Layers);
                    current = ModelRegistry.Load(last.Config, trained.FeatureMap.Layout, last.Tensors);
                    current.PrepareTraining(4096, compute);
                }

                if (rank is { } k)
                {
                    last = kind == "svd" ? LowRankEmbedding.Svd(current, k) : LowRankEmbedding.Afm(current, rows, k);
                    layers.AddRange(last.Layers);
                }

                return last;
            });

            string target = parse.GetValue(output)!;
            CtrModel compressed = ModelRegistry.Load(result!.Config, trained.FeatureMap.Layout, result.Tensors);
            ModelArtifact.Save(target, compressed, trained.FeatureMap, new { compression = kind, from_model = Path.GetFullPath(modelPath), input = trained.Input });
            (EvaluationResult before, _, _) = HeldOut.Evaluate(trained, directory, SplitPart.Test, compute);
            (EvaluationResult after, _, _) = HeldOut.Evaluate(ModelArtifact.Load(target), directory, SplitPart.Test, compute);
            Console.WriteLine("layer            width  rank  energy kept   90%   95%   99%  (singular values holding that share of their sum)");
            foreach (LowRankLayer layer in layers)
            {
                Console.WriteLine($"{layer.Name,-16} {layer.Width,5} {layer.Rank,5} {layer.EnergyKept,12:P1} {layer.RankHolding(0.90),5} "
                    + $"{layer.RankHolding(0.95),5} {layer.RankHolding(0.99),5}"
                    + (layer.RelativeError is { } error ? $"  (tensor train, first cut; relative error {error:F4})" : ""));
            }

            Console.WriteLine($"parameters {trained.ParameterCount:N0} → {compressed.Parameters.Sum(p => (long)p.Length):N0} "
                + $"({trained.ParameterCount / (double)compressed.Parameters.Sum(p => (long)p.Length):F2}× fewer)");
            Console.WriteLine($"test AUC {before.Auc:F5} → {after.Auc:F5}  logloss {before.LogLoss:F5} → {after.LogLoss:F5}  ({after.Rows:N0} rows, "
                + "before fine-tuning)");
            Console.WriteLine($"written to {target}; fine-tune with: clickwise train -d {directory} -m {target} -o TUNED.cwm --epochs 1 --lr 0.001");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static RankSpec Parse(string text)
    {
        try
        {
            return RankSpec.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--mlp-rank: {e.Message}");
        }
    }
}
