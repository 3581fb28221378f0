using System.CommandLine;
using Clickwise.Data;
using Clickwise.Data.Cache;
using Clickwise.Data.Readers;
using Clickwise.Experiments;
using Clickwise.Inference;
using Clickwise.Interchange;
using Clickwise.Runs;

namespace Clickwise.Cli.Verbs;

/// <summary><c>clickwise bench</c>: batch-1 latency (one thread) and large-batch throughput of a model file.</summary>
internal static class BenchCommand
{
    /// <summary>Each request keeps its time for the percentiles; ten million is minutes of timing and 80 MB.</summary>
    private const int MaxRequests = 10_000_000;

    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data(required: false);
        var format = CommonOptions.Format("criteo");
        var requests = new Option<int>("--requests") { Description = "Batch-1 requests to time", DefaultValueFactory = _ => 10_000 };
        var batch = new Option<int>("--batch") { Description = "Batch size of the throughput test", DefaultValueFactory = _ => 10_000 };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var plan = new Option<string>("--plan")
        {
            Description = "speed: the fastest plan measured here; memory: the fewest bytes (compact tables, sparse weights, one copy per layer)",
            DefaultValueFactory = _ => "speed",
        };
        plan.AcceptOnlyFromAmong("speed", "memory");
        var ops = new Option<bool>("--ops") { Description = "Also print each op of the plan with its median batch-1 time" };
        var peer = new Option<string?>("--peer")
        {
            Description = "onnxruntime: also run the model exported to ONNX in ONNX Runtime (1 intra-op thread for batch 1, --threads for batches), "
                + "alternating with the plan, and print both and the ratios",
        };
        peer.AcceptOnlyFromAmong("onnxruntime");
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds of plan and peer (medians are printed)", DefaultValueFactory = _ => 3 };
        var command = new Command("bench", "Measure a model's batch-1 latency and batch throughput on this machine");
        CommonOptions.AddAll(command, model, data, format, requests, batch, threads, json, plan, ops, peer, rounds);
        command.SetAction(parse => VerbRunner.Run(() =>
        {
            string path = parse.GetValue(model)!;
            CommonOptions.RequireModel(path, "-m/--model");
            ModelArtifact artifact = ModelArtifact.Load(path);
            PlanObjective objective = parse.GetValue(plan) == "memory" ? PlanObjective.Memory : PlanObjective.Speed;
            CompiledModel compiled = artifact.Compile(objective: objective);
            (int[] ids, int rows) = parse.GetValue(data) is { } file
                ? RowsFrom(compiled, artifact, file, parse.GetValue(format) ?? "criteo")
                : RandomRows(artifact);
            int n = parse.GetValue(requests);
            int b = parse.GetValue(batch);
            if (n is < 100 or > MaxRequests || b < 1)
            {
                throw new UsageException($"--requests must be in [100, {MaxRequests:N0}] and --batch >= 1, got {n} and {b}");
            }

            if (parse.GetValue(peer) is not null)
            {
                return ComparePeer(artifact, compiled, ids, rows, n, b, parse.GetValue(threads), parse.GetValue(rounds), parse.GetValue(json));
            }

            SpeedReport report = SpeedProbe.Measure(compiled, ids, rows, n, b, parse.GetValue(threads));
            if (parse.GetValue(ops))
            {
                PrintOps(compiled, ids, rows); // after the warm-up above, so no op is timed on tier-0 code
            }

            // A pruned model is also run through the dense kernels: the speed-up its sparsity buys on this machine.
            SpeedReport? dense = artifact.IsPruned ? SpeedProbe.Measure(artifact.Compile(sparse: false), ids, rows, n, b, parse.GetValue(threads)) : null;
            if (parse.GetValue(json))
            {
                var result = new
                {
                    plan = report,
                    plan_bytes = compiled.Bytes,
                    dense_plan = dense,
                    speed_up_batch1 = dense is null ? (double?)null : dense.P50Micros / report.P50Micros,
                    speed_up_batch = dense is null ? (double?)null : report.BatchSamplesPerSec / dense.BatchSamplesPerSec,
                };
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(result, ConfigJson.Options));
            }
            else
            {
                Print(report, dense is null ? "" : "sparse plan, ");
                if (dense is not null)
                {
                    Print(dense, "dense kernels, ");
                    Console.WriteLine($"speed-up from sparsity: batch 1 {dense.P50Micros / report.P50Micros:F1}×, batch {report.BatchSize:N0} "
                        + $"{report.BatchSamplesPerSec / dense.BatchSamplesPerSec:F1}×; plan {compiled.Bytes:N0} bytes");
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The plan beside the same model exported to ONNX and run by ONNX Runtime (<c>--peer onnxruntime</c>).</summary>
    private static int ComparePeer(ModelArtifact artifact, CompiledModel compiled, int[] ids, int rows, int requests, int batchSize, int threads,
                                   int rounds, bool json)
    {
        if (rounds < 1)
        {
            throw new UsageException($"--rounds must be >= 1, got {rounds}");
        }

        if (OnnxExport.CarriesValues(artifact))
        {
            throw new UsageException("bench --peer onnxruntime times graphs that take ids alone; this model's graph also takes values");
        }

        int batchThreads = threads > 0 ? threads : compiled.Compute.Threads;
        PeerComparison result = OnnxRuntimePeer.Compare(compiled, OnnxExport.ToOnnx(artifact), ids, rows, requests, batchSize, batchThreads, rounds);
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                onnxruntime_version = OnnxRuntimePeer.Version,
                rounds,
                plan = result.Plan,
                onnxruntime = result.OnnxRuntime,
                p50_ratio = result.P50Ratio,
                p99_ratio = result.P99Ratio,
                throughput_ratio = result.ThroughputRatio,
            }, ConfigJson.Options));
            return ExitCodes.Success;
        }

        Console.WriteLine($"medians of {rounds} alternating rounds; batch 1 on 1 thread, batch {batchSize:N0} on {batchThreads} threads; "
            + $"plan kernels {compiled.Compute.Gemm.Name}, {compiled.Compute.MatVec?.Name ?? "packed matvec"}; ONNX Runtime picks its own");
        Console.WriteLine($"{"",-24} {"p50 µs",10} {"p99 µs",10} {"samples/s",14}");
        Console.WriteLine($"{"clickwise plan",-24} {result.Plan.P50Micros,10:F2} {result.Plan.P99Micros,10:F2} {result.Plan.BatchSamplesPerSec,14:N0}");
        Console.WriteLine($"{"onnxruntime " + OnnxRuntimePeer.Version,-24} {result.OnnxRuntime.P50Micros,10:F2} {result.OnnxRuntime.P99Micros,10:F2} "
            + $"{result.OnnxRuntime.BatchSamplesPerSec,14:N0}");
        Console.WriteLine($"{"clickwise ahead by",-24} {result.P50Ratio,9:F2}× {result.P99Ratio,9:F2}× {result.ThroughputRatio,13:F2}×");
        return ExitCodes.Success;
    }

    private static void PrintOps(CompiledModel compiled, int[] ids, int rows)
    {
        var times = compiled.TimeOps(ids, rows, batchSize: 1, repetitions: 20_000);
        Console.WriteLine($"plan ops, batch 1, 1 thread (median µs; sum {times.Sum(t => t.Micros):F2}):");
        foreach ((string op, double micros) in times)
        {
            Console.WriteLine($"  {micros,8:F3}  {op}");
        }
    }

    private static void Print(SpeedReport report, string what)
    {
        Console.WriteLine($"{what}batch 1, 1 thread: p50 {report.P50Micros:F2} µs  p99 {report.P99Micros:F2} µs  ({report.Requests:N0} requests)");
        Console.WriteLine($"{what}batch {report.BatchSize:N0}, {report.BatchThreads} threads: {report.BatchSamplesPerSec:N0} samples/s");
    }

    private static (int[] Ids, int Rows) RowsFrom(CompiledModel compiled, ModelArtifact artifact, string file, string format)
    {
        if (PreparedDirectory.Is(file))
        {
            return HeldOut.WithPart(artifact, file, SplitPart.Test, SpeedProbe.SampleRows); // the test part's first rows, parsed nothing
        }

        CommonOptions.RequireFile(file);
        var collected = new List<int>();
        using IRecordReader reader = RecordReaders.Open(file, CommonOptions.Reader(format, skipBad: true, maxBadRatio: 1));
        int f = compiled.FieldCount;
        Scoring.Stream(compiled, artifact.FeatureMap, reader, (batch, _) =>
        {
            if (collected.Count < 4096 * f)
            {
                collected.AddRange(batch.IdsInUse.ToArray());
            }
        });
        return collected.Count == 0 ? throw new InvalidDataException($"{file}: no rows") : ([.. collected], collected.Count / f);
    }

    private static (int[] Ids, int Rows) RandomRows(ModelArtifact artifact)
    {
        var layout = artifact.FeatureMap.Layout;
        const int Rows = 4096;
        var random = new Random(7);
        int[] ids = new int[Rows * layout.FieldCount];
        for (int r = 0; r < Rows; r++)
        {
            for (int f = 0; f < layout.FieldCount; f++)
            {
                ids[r * layout.FieldCount + f] = layout.Offsets[f] + random.Next(layout.Sizes[f]);
            }
        }

        return (ids, Rows);
    }
}
