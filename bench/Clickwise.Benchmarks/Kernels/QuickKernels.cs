using System.Diagnostics;
using Clickwise.Kernels;

namespace Clickwise.Benchmarks.Kernels;

/// <summary>
/// `quick-kernels`: medians for the non-GEMM kernels at the Criteo preset's sizes (B=2048, F=39, D=10, DNN 400),
/// every registered variant side by side.
/// </summary>
internal static class QuickKernels
{
    private const int BatchSize = 2048;
    private const int FieldCount = 39;
    private const int Dim = 10;

    public static void Run()
    {
        Console.WriteLine(KernelRegistry.Describe());
        float[] x = Random(400, 1);
        float[] w1 = Random(390 * 400, 2), w = Random(400 * 400, 3), bias = Random(400, 4);
        float[] h1 = new float[400], h2 = new float[400];
        foreach (IMatVec kernel in KernelRegistry.AllMatVec)
        {
            double us = MedianMicroseconds(() =>
            {
                kernel.Multiply(x, w1, bias, h1, 390, 400, true);
                kernel.Multiply(h1, w, bias, h2, 400, 400, true);
                kernel.Multiply(h2, w, bias, h1, 400, 400, true);
            });
            Console.WriteLine($"{kernel.Name,-20} batch-1 chain 390→400→400→400 + ReLU  {us,9:F1} µs");
        }

        float[] emb = Random(BatchSize * FieldCount * Dim, 5);
        float[] r = Random(FieldCount * FieldCount, 6);
        float[] y = new float[BatchSize], dY = Random(BatchSize, 7), sum = new float[BatchSize * Dim];
        float[] dEmb = new float[emb.Length], dR = new float[r.Length];
        foreach (IFwFMKernel kernel in KernelRegistry.AllFwFM)
        {
            double forward = MedianMicroseconds(() => kernel.Forward(emb, r, BatchSize, FieldCount, Dim, y));
            double backward = MedianMicroseconds(() => kernel.Backward(emb, r, dY, BatchSize, FieldCount, Dim, dEmb, dR));
            Console.WriteLine($"{kernel.Name,-20} B=2048 F=39 D=10 forward {forward,9:F1} µs  backward {backward,9:F1} µs");
        }

        foreach (IFMKernel kernel in KernelRegistry.AllFM)
        {
            double forward = MedianMicroseconds(() => kernel.Forward(emb, BatchSize, FieldCount, Dim, sum, y));
            double backward = MedianMicroseconds(() => kernel.Backward(emb, sum, dY, BatchSize, FieldCount, Dim, dEmb));
            Console.WriteLine($"{kernel.Name,-20} B=2048 F=39 D=10 forward {forward,9:F1} µs  backward {backward,9:F1} µs");
        }

        const int rows = 1_300_000;
        float[] table = Random(rows * Dim, 8);
        var random = new Random(9);
        int[] ids = [.. Enumerable.Range(0, BatchSize * FieldCount).Select(_ => random.Next(rows))];
        foreach (IEmbeddingKernel kernel in KernelRegistry.AllEmbedding)
        {
            var gradient = new Clickwise.Layers.RowGradient(rows, Dim, ids.Length);
            int[] slots = new int[ids.Length];
            gradient.Register(ids, slots);
            float[] dRows = gradient.Values.AsSpan(0, gradient.Count * Dim).ToArray();
            double gather = MedianMicroseconds(() => kernel.Gather(table, Dim, ids, [], dEmb));
            double scatter = MedianMicroseconds(() => kernel.Scatter(dEmb, Dim, slots, [], dRows, 0, 1));
            Console.WriteLine($"{kernel.Name,-20} B·F=79872 D=10 of 1.3M rows gather {gather,9:F1} µs  scatter {scatter,9:F1} µs");
        }

        // Row updates: quick-optimizer (one kernel a process; here the JIT would favour the first variant's calls).
        float[] adamW = Random(w.Length, 10), adamM = new float[w.Length], adamV = new float[w.Length];
        var c = new AdamCoefficients(1e-6f, 0.9f, 0.1f, 0.999f, 0.001f, 1e-3f, 0.0447f, 1e-8f);
        foreach (IOptimizerKernel kernel in KernelRegistry.AllOptimizer)
        {
            double denseUs = MedianMicroseconds(() => kernel.Adam(adamW, w, adamM, adamV, c));
            Console.WriteLine($"{kernel.Name,-20} Adam dense 400·400 {denseUs,9:F1} µs");
        }
    }

    internal static double MedianMicroseconds(Action action)
    {
        // Let tiered compilation promote the code under test (≥ 30 calls plus its background delay).
        var warmup = Stopwatch.StartNew();
        for (int calls = 0; (calls < 40 || warmup.ElapsedMilliseconds < 250) && warmup.ElapsedMilliseconds < 2000; calls++)
        {
            action();
        }

        var samples = new double[15];
        for (int i = 0; i < samples.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(samples);
        return samples[samples.Length / 2];
    }

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() - 0.5f)];
    }
}
