using System.Runtime.Intrinsics;
using System.Diagnostics;
using System.Text.Json;
using Clickwise.Benchmarks.Kernels;
using Clickwise.Data;
using Clickwise.Data.Readers;
using Clickwise.Data.Synthetic;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.Kernels;
using Clickwise.Models;
using Clickwise.Layers;
using Clickwise.Training.Optimizers;

namespace Clickwise.Benchmarks.EndToEnd;

/// <summary>
/// `e2e`: the DeepFwFM speed table on the Criteo preset (39 fields, 1.3M-row table, D = 10, DNN
/// 400×400×400): training samples/s at batch 2048 on 2 threads (lazy row-sparse Adam), batch-10,000 prediction
/// samples/s, batch-1 latency p50/p99 on one thread, and the memory floor of batch 1 (DNN weight bytes over the
/// measured read bandwidth of a buffer that size). Ids follow the same skew as tools/reference/bench_deepfwfm.py.
/// Prints one JSON object (medians), the same shape as the PyTorch script's. <c>--train-only</c> stops after
/// training; <c>--model</c> times another model on the same preset and data; <c>--profile</c> adds the per-phase medians of a step (<see cref="StepProfile"/>) as "train_profile".
/// </summary>
internal static class DeepFwFMSpeed
{
    private const int Fields = 39;
    private const int Vocabulary = 1_300_000;

    public static void Run(string[] args)
    {
        int trainSteps = ArgOr(args, "--train-steps", 30);
        int predictReps = ArgOr(args, "--predict-reps", 10);
        int requests = ArgOr(args, "--latency-requests", 10_000);
        int threads = ArgOr(args, "--threads", 2);
        bool trainOnly = args.Contains("--train-only");
        StepProfile? profile = args.Contains("--profile") ? new StepProfile() : null;
        var sizes = Enumerable.Repeat(Vocabulary / Fields, Fields).ToArray();
        sizes[0] += Vocabulary - sizes.Sum();
        var layout = new FeatureLayout(Enumerable.Range(0, Fields).Select(f => $"f{f}").ToArray(), sizes);
        var config = ModelPresets.Criteo(ArgOr(args, "--model", "deepfwfm"));
        var random = new Random(0);

        var compute = ComputeContext.Default with { Threads = threads, Phases = profile };
        var model = ModelRegistry.Create(config, layout);
        model.PrepareTraining(2048, compute);
        if (args.Contains("--block-rows-ab"))
        {
            CompareBlockRows(CompiledModel.Compile(model, compute), predictReps, random);
            return;
        }

        var result = new Dictionary<string, object>
        {
            ["simd"] = SimdInfo.Describe(),
            ["threads"] = threads,
            ["gemm"] = compute.Gemm.Name,
            ["train"] = Train(model, trainSteps, random, profile),
        };
        if (profile is not null)
        {
            result["train_profile"] = profile.Summary();
            profile.Print(Console.Error);
        }

        if (trainOnly)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        CompiledModel compiled = CompiledModel.Compile(model, compute);
        result["predict_10k"] = Predict(compiled, predictReps, random);
        Batch chunk = RandomBatch(2048, random);
        result["batch2048_ops_us"] = compiled.TimeOps(chunk.Ids, 2048, 2048, repetitions: 5)
            .Select(o => new { op = o.Op, median_us = o.Micros }).ToArray();
        CompiledModel single = compiled.WithRowSplit(threads: 1);
        var latency = Latency(single, requests, random);
        result["latency_batch1_1thread"] = latency;
        result["latency_batch1_1thread_one_repeated_row"] = Latency(single, requests, random, sameRow: true);
        Batch probe = RandomBatch(256, random);
        result["batch1_ops_us"] = compiled.TimeOps(probe.Ids.AsSpan(0, 256 * Fields), 256, 1)
            .Select(o => new { op = o.Op, median_us = o.Micros }).ToArray();
        long dnnBytes = config.HiddenUnits.Prepend(Fields * config.EmbeddingDim).Append(1)
            .Zip(config.HiddenUnits.Append(1), (i, o) => (long)(i + 1) * o * sizeof(float)).Sum();
        double bandwidth = ReadBandwidth(dnnBytes);
        double floorMicros = dnnBytes / bandwidth * 1e6;
        result["memory_floor"] = new
        {
            dnn_weight_bytes = dnnBytes,
            read_bandwidth_gb_per_s = bandwidth / 1e9,
            floor_us = floorMicros,
            p50_over_floor = latency.P50Micros / floorMicros,
        };
        result["criteo_parse"] = ParseRate();
        result["peak_gflops_1thread"] = QuickGemm.MeasurePeak(1);
        result["peak_gflops_2threads"] = QuickGemm.MeasurePeak(2);
        Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static object Train(CtrModel model, int steps, Random random, StepProfile? profile)
    {
        const int Batch = 2048;
        var batches = Enumerable.Range(0, 8).Select(_ => RandomBatch(Batch, random)).ToArray();
        ComputeContext compute = model.Compute;
        var optimizer = OptimizerFactory.Create("adam", new OptimizerSettings { LearningRate = 1e-3 }, compute);
        float[] logits = new float[Batch];
        float[] dLogits = new float[Batch];
        var times = new List<double>();
        for (int step = 0; step < steps + 5; step++)
        {
            Batch batch = batches[step % batches.Length];
            profile?.BeginStep();
            long t0 = Stopwatch.GetTimestamp();
            model.Parameters.ZeroGrad();
            compute.EndPhase("zero grad");
            model.Forward(batch, logits, training: true);
            compute.EndPhase("logit sum");
            BinaryLogLoss.Forward(logits, batch.LabelsInUse, Batch, dLogits);
            compute.EndPhase("loss");
            model.Backward(batch, dLogits);
            optimizer.Step(model.Parameters);
            profile?.EndStep(keep: step >= 5);
            if (step >= 5)
            {
                times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
            }
        }

        double median = Median(times);
        return new { batch = Batch, steps, median_step_ms = median * 1e3, samples_per_sec = Batch / median };
    }

    private static object Predict(CompiledModel model, int reps, Random random)
    {
        const int Batch = 10_000;
        Batch batch = RandomBatch(Batch, random);
        float[] logits = new float[Batch];
        InferenceTape tape = model.CreateTape(2048);
        model.PredictLogits(batch.IdsInUse, default, Batch, logits, tape);
        var times = new List<double>();
        for (int i = 0; i < reps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            model.PredictLogits(batch.IdsInUse, default, Batch, logits, tape);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        double median = Median(times);
        return new { batch = Batch, reps, median_ms = median * 1e3, samples_per_sec = Batch / median };
    }

    /// <summary>
    /// `e2e --block-rows-ab`: batch-10,000 prediction with the plan's row-block sizes interleaved call by call (the
    /// shared machine's load drifts hit every setting alike); medians of samples/s.
    /// </summary>
    private static void CompareBlockRows(CompiledModel model, int reps, Random random)
    {
        const int Batch = 10_000;
        int[] blockRows = [132, 198, 264, 396, 528, 2048];
        Batch batch = RandomBatch(Batch, random);
        float[] logits = new float[Batch];
        InferenceTape tape = model.CreateTape(2048);
        var samples = blockRows.Select(_ => new List<double>()).ToArray();
        CompiledModel[] plans = [.. blockRows.Select(rows => model.WithRowSplit(model.Compute.Threads, rows))];
        for (int round = 0; round <= reps; round++)
        {
            for (int s = 0; s < blockRows.Length; s++)
            {
                long t0 = Stopwatch.GetTimestamp();
                plans[s].PredictLogits(batch.IdsInUse, default, Batch, logits, tape);
                if (round > 0)
                {
                    samples[s].Add(Batch / Stopwatch.GetElapsedTime(t0).TotalSeconds);
                }
            }
        }

        for (int s = 0; s < blockRows.Length; s++)
        {
            Console.WriteLine($"block {blockRows[s],5} rows: median {Median(samples[s]),8:F0} samples/s, best {samples[s].Max(),8:F0}");
        }
    }

    private static LatencyResult Latency(CompiledModel model, int requests, Random random, bool sameRow = false)
    {
        Batch rows = RandomBatch(256, random);
        if (sameRow)
        {
            for (int r = 1; r < 256; r++)
            {
                rows.Ids.AsSpan(0, Fields).CopyTo(rows.Ids.AsSpan(r * Fields, Fields));
            }
        }

        InferenceTape tape = model.CreateTape(1);
        float sink = 0;
        for (int i = 0; i < 2000; i++)
        {
            sink += model.PredictProbability(rows.Ids.AsSpan(i % 256 * Fields, Fields), default, tape);
        }

        double[] micros = new double[requests];
        double scale = 1e6 / Stopwatch.Frequency;
        for (int i = 0; i < requests; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            sink += model.PredictProbability(rows.Ids.AsSpan(i % 256 * Fields, Fields), default, tape);
            micros[i] = (Stopwatch.GetTimestamp() - t0) * scale;
        }

        GC.KeepAlive(sink);
        Array.Sort(micros);
        return new LatencyResult(requests, micros[requests / 2], micros[(int)(requests * 0.99)]);
    }

    /// <summary>Raw Criteo TSV parse rate on one thread: synthetic rows written to a temp file, read back with the strict reader.</summary>
    private static object ParseRate()
    {
        string path = Path.Combine(Path.GetTempPath(), $"clickwise-parse-{Environment.ProcessId}.tsv");
        try
        {
            SyntheticGenerator.Generate(new SyntheticOptions { Profile = "criteo", Rows = 300_000, Seed = 3, ComputeTeacherAuc = false }, path);
            long bytes = new FileInfo(path).Length;
            var record = new RawRecord(39);
            var times = new List<double>();
            long rows = 0;
            for (int rep = 0; rep < 5; rep++)
            {
                long t0 = Stopwatch.GetTimestamp();
                using IRecordReader reader = RecordReaders.Open(path, new ReaderOptions { Format = DataFormat.Criteo });
                rows = 0;
                while (reader.Read(record))
                {
                    rows++;
                }

                times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
            }

            double median = Median(times);
            return new { rows, bytes, median_s = median, mb_per_s = bytes / median / 1e6, rows_per_s = rows / median };
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Bytes per second of summing a buffer of <paramref name="bytes"/> over and over (it stays in cache if it fits).</summary>
    private static double ReadBandwidth(long bytes)
    {
        // Normal floats in [0, 1): random bit patterns would include denormals, whose slow path measures the FPU, not memory.
        float[] buffer = new float[bytes / sizeof(float)];
        var random = new Random(1);
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = random.NextSingle();
        }

        float sink = 0;
        var times = new List<double>();
        for (int rep = 0; rep < 200; rep++)
        {
            long t0 = Stopwatch.GetTimestamp();
            sink += StreamSum(buffer);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        GC.KeepAlive(sink);
        return bytes / Median(times.Skip(20).ToList());
    }

    /// <summary>A read-only stream over the buffer: 64-byte loads into eight independent accumulators, so the loop is bound by the load ports and the memory hierarchy, not by add latency.</summary>
    private static unsafe float StreamSum(float[] buffer)
    {
        fixed (float* p = buffer)
        {
            var a0 = Vector512<float>.Zero;
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            var a4 = a0;
            var a5 = a0;
            var a6 = a0;
            var a7 = a0;
            int i = 0;
            for (; i + 128 <= buffer.Length; i += 128)
            {
                a0 += Vector512.Load(p + i);
                a1 += Vector512.Load(p + i + 16);
                a2 += Vector512.Load(p + i + 32);
                a3 += Vector512.Load(p + i + 48);
                a4 += Vector512.Load(p + i + 64);
                a5 += Vector512.Load(p + i + 80);
                a6 += Vector512.Load(p + i + 96);
                a7 += Vector512.Load(p + i + 112);
            }

            float total = Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
            for (; i < buffer.Length; i++)
            {
                total += p[i];
            }

            return total;
        }
    }

    private static Batch RandomBatch(int size, Random random)
    {
        var batch = new Batch(size, Fields) { Count = size };
        for (int i = 0; i < size * Fields; i++)
        {
            batch.Ids[i] = random.NextDouble() < 0.7 ? random.Next(20_000) : random.Next(Vocabulary);
        }

        for (int r = 0; r < size; r++)
        {
            batch.Labels[r] = random.NextDouble() < 0.25 ? 1f : 0f;
        }

        return batch;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static int ArgOr(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    private static string ArgOr(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    private sealed record LatencyResult(
        [property: System.Text.Json.Serialization.JsonPropertyName("requests")] int Requests,
        [property: System.Text.Json.Serialization.JsonPropertyName("p50_us")] double P50Micros,
        [property: System.Text.Json.Serialization.JsonPropertyName("p99_us")] double P99Micros);
}
