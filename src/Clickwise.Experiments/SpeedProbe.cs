using System.Diagnostics;
using Clickwise.Data;
using Clickwise.Inference;
using Clickwise.Models;

namespace Clickwise.Experiments;

/// <summary>Latency percentiles of single requests and throughput of large batches, measured on a compiled model.</summary>
public sealed record SpeedReport(int Requests, double P50Micros, double P99Micros, int BatchSize, double BatchSamplesPerSec, int BatchThreads);

public static class SpeedProbe
{
    /// <summary>The ids of the first rows of <paramref name="source"/> (up to 4,096), the requests latency is timed on.</summary>
    public static (int[] Ids, int Rows) SampleRows(IBatchSource source)
    {
        foreach (Batch batch in source.Batches(4096, shuffle: false, seed: 0))
        {
            return ([.. batch.IdsInUse], batch.Count);
        }

        throw new InvalidDataException("no rows to time requests with");
    }

    /// <summary>Least time spent on untimed requests before timing starts.</summary>
    public const int WarmupMilliseconds = 500;

    /// <summary>
    /// Batch-1 latency on one thread over <paramref name="requests"/> requests after a warm-up, cycling through
    /// <paramref name="ids"/> rows, then batch throughput with <paramref name="batchThreads"/> compute threads (0: the model's own).
    /// </summary>
    public static SpeedReport Measure(CompiledModel model, int[] ids, int rows, int requests = 10_000, int batchSize = 10_000,
                                      int batchThreads = 0, int batchRepetitions = 5)
    {
        int f = model.FieldCount;
        if (rows < 1 || ids.Length < rows * f)
        {
            throw new ArgumentException("need at least one row of ids");
        }

        CompiledModel single = model.WithRowSplit(threads: 1);
        InferenceTape tape = single.CreateTape(1);
        float sink = 0f;
        // Warm up by time as well as count: tiered compilation promotes hot methods in the background about
        // 100 ms after they get hot, and a small model's 10,000 requests would otherwise be timed on tier-0 code.
        long warmupEnd = Stopwatch.GetTimestamp() + Stopwatch.Frequency * WarmupMilliseconds / 1000;
        for (int i = 0; i < Math.Min(2000, requests) || Stopwatch.GetTimestamp() < warmupEnd; i++)
        {
            sink += single.PredictProbability(ids.AsSpan(i % rows * f, f), default, tape);
        }

        double[] micros = new double[requests];
        double tickToMicro = 1e6 / Stopwatch.Frequency;
        for (int i = 0; i < requests; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            sink += single.PredictProbability(ids.AsSpan(i % rows * f, f), default, tape);
            micros[i] = (Stopwatch.GetTimestamp() - t0) * tickToMicro;
        }

        Array.Sort(micros);
        CompiledModel batched = model.WithRowSplit(batchThreads > 0 ? batchThreads : model.Compute.Threads);
        int[] batchIds = ModelTooLargeException.Guard(() => new int[checked(batchSize * f)], () => $"a probe batch of {batchSize:N0} rows' ids");
        for (int r = 0; r < batchSize; r++)
        {
            ids.AsSpan(r % rows * f, f).CopyTo(batchIds.AsSpan(r * f, f));
        }

        float[] logits = new float[batchSize];
        InferenceTape batchTape = batched.CreateTape(Math.Min(batchSize, 2048));
        batched.PredictLogits(batchIds, default, batchSize, logits, batchTape);
        double[] seconds = new double[batchRepetitions];
        for (int k = 0; k < batchRepetitions; k++)
        {
            long t0 = Stopwatch.GetTimestamp();
            batched.PredictLogits(batchIds, default, batchSize, logits, batchTape);
            seconds[k] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        Array.Sort(seconds);
        GC.KeepAlive(sink);
        return new SpeedReport(requests, Percentile(micros, 0.50), Percentile(micros, 0.99), batchSize,
            batchSize / seconds[seconds.Length / 2], batched.Compute.Threads);
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
