using System.Diagnostics;
using Clickwise.Data;
using Clickwise.Inference;
using Clickwise.Metrics;
using Clickwise.Runs;

namespace Clickwise.Experiments;

/// <summary>
/// What every ensemble of a study shares: members' probabilities averaged and scored, and the combined latency measured,
/// the members run one after another on one thread (§5.4 of DeepLight gives no more than the budget).
/// </summary>
internal static class EnsembleScoring
{
    /// <summary>Logloss and AUC of the chosen members' mean probability.</summary>
    public static EvaluationResult Evaluate(IReadOnlyList<int> chosen, IReadOnlyList<float[]> probabilities, float[] labels)
    {
        var mean = new float[labels.Length];
        foreach (int i in chosen)
        {
            for (int r = 0; r < mean.Length; r++)
            {
                mean[r] += probabilities[i][r] / chosen.Count;
            }
        }

        var accumulator = new MetricAccumulator(Math.Max(1, labels.Length));
        accumulator.AddProbabilities(mean, labels);
        return accumulator.Result();
    }

    /// <summary>
    /// The summed p50s the members were chosen by are a guess; the budget must hold for the measured ensemble, so the
    /// last-chosen members are dropped (from <paramref name="chosen"/>) until it does. Returns the measured p50.
    /// </summary>
    public static double FitMeasured(List<int> chosen, IReadOnlyList<CompiledModel> compiled, double budget, int[] ids, int rows, int requests)
    {
        double p50 = Latency([.. chosen.Select(i => compiled[i])], ids, rows, requests);
        while (p50 > budget && chosen.Count > 1)
        {
            chosen.RemoveAt(chosen.Count - 1);
            p50 = Latency([.. chosen.Select(i => compiled[i])], ids, rows, requests);
        }

        return p50;
    }

    /// <summary>Batch-1 p50 in µs of the members run one after another on one thread, their probabilities averaged.</summary>
    public static double Latency(CompiledModel[] models, int[] ids, int rows, int requests)
    {
        int f = models[0].FieldCount;
        InferenceTape[] tapes = [.. models.Select(m => m.CreateTape(1))];
        double[] micros = new double[requests];
        float sink = 0;
        // Warm up by count and by time (see SpeedProbe.WarmupMilliseconds), then time `requests` requests.
        long warmupEnd = Stopwatch.GetTimestamp() + Stopwatch.Frequency * SpeedProbe.WarmupMilliseconds / 1000;
        int warmup = 0;
        while (warmup < Math.Min(2000, requests) || Stopwatch.GetTimestamp() < warmupEnd)
        {
            for (int m = 0; m < models.Length; m++)
            {
                sink += models[m].PredictProbability(ids.AsSpan(warmup % rows * f, f), default, tapes[m]);
            }

            warmup++;
        }

        for (int i = 0; i < requests; i++)
        {
            ReadOnlySpan<int> row = ids.AsSpan(i % rows * f, f);
            long t0 = Stopwatch.GetTimestamp();
            float p = 0;
            for (int m = 0; m < models.Length; m++)
            {
                p += models[m].PredictProbability(row, default, tapes[m]);
            }

            sink += p / models.Length;
            micros[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }

        GC.KeepAlive(sink);
        Array.Sort(micros);
        return micros[requests / 2];
    }

    /// <summary>The labels of a part, in batch order.</summary>
    public static float[] Labels(IBatchSource test)
    {
        var labels = new List<float>();
        foreach (Batch batch in test.Batches(Evaluation.BatchSize, shuffle: false, seed: 0))
        {
            labels.AddRange(batch.LabelsInUse.ToArray());
        }

        return [.. labels];
    }

    /// <summary>A model's probabilities over a part, in the order of <see cref="Labels"/>.</summary>
    public static float[] Probabilities(CompiledModel model, IBatchSource test)
    {
        var all = new List<float>();
        InferenceTape tape = model.CreateTape(1024);
        float[] logits = new float[Evaluation.BatchSize];
        foreach (Batch batch in test.Batches(Evaluation.BatchSize, shuffle: false, seed: 0))
        {
            Span<float> z = logits.AsSpan(0, batch.Count);
            model.PredictLogits(batch, z, tape);
            foreach (float logit in z)
            {
                all.Add((float)Clickwise.Metrics.LogLoss.Sigmoid(logit));
            }
        }

        return [.. all];
    }
}
