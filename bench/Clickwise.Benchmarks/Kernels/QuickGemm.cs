using System.Diagnostics;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;

namespace Clickwise.Benchmarks.Kernels;

/// <summary>
/// `quick-gemm`: a few seconds of medians (no BenchmarkDotNet) — GFLOP/s per training shape on 1 and 2 threads,
/// as a share of the peak measured by <see cref="PeakFlops"/> in the same run.
/// </summary>
internal static class QuickGemm
{
    public static void Run(string[] args)
    {
        // Tuning knobs: kc=N sets the K block used when K is split (the weight-gradient shape).
        var blocking = PackedGemmBlocking.Default;
        foreach (string arg in args.Where(a => a.StartsWith("kc=", StringComparison.Ordinal)))
        {
            blocking = blocking with { KBlockSplit = int.Parse(arg[3..], System.Globalization.CultureInfo.InvariantCulture) };
        }

        if (args.Contains("ab"))
        {
            CompareSettings();
            return;
        }

        string? variant = args.FirstOrDefault(a => !a.Contains('=', StringComparison.Ordinal));
        IGemm gemm = variant is null
            ? KernelRegistry.Gemm
            : KernelRegistry.AllGemm.Single(g => g.Name == variant || "gemm-" + g.Name == variant);
        gemm = gemm is IBlockedGemm blocked ? blocked.WithBlocking(blocking) : gemm;
        Console.WriteLine($"{SimdInfo.Describe()}; gemm {gemm.Name}; cores {Environment.ProcessorCount}; " +
                          $"K block when split {blocking.KBlockSplit}");
        double peak1 = MeasurePeak(1);
        double peak2 = MeasurePeak(2);
        Console.WriteLine($"peak fp32 (FMA loop, best of 15): 1 thread {peak1:F1} GFLOP/s, 2 threads {peak2:F1} GFLOP/s");
        foreach (GemmShape shape in GemmShape.Training)
        {
            var a = Random(shape.M * shape.K, 1);
            var b = Random(shape.K * shape.N, 2);
            var c = new float[shape.M * shape.N];
            foreach (int threads in new[] { 1, 2 })
            {
                (double median, double best) = Gflops(gemm, shape, a, b, c, threads);
                double peak = threads == 1 ? peak1 : peak2;
                Console.WriteLine($"{shape.Label,-17} {threads} thr median {median,6:F1} GFLOP/s ({100 * median / peak,5:F1}% of peak)" +
                                  $"  best {best,6:F1} ({100 * best / peak,5:F1}%)");
            }
        }
    }

    private static (double Median, double Best) Gflops(IGemm gemm, GemmShape s, float[] a, float[] b, float[] c, int threads)
    {
        // Warm up past tiered compilation of the driver code and the workers' first wake-up.
        var warmup = Stopwatch.StartNew();
        for (int i = 0; i < 5 || warmup.ElapsedMilliseconds < 200; i++)
        {
            gemm.Multiply(a, b, c, s.M, s.N, s.K, s.TransA, s.TransB, accumulate: false, threads);
        }

        var samples = new double[21];
        for (int i = 0; i < samples.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            gemm.Multiply(a, b, c, s.M, s.N, s.K, s.TransA, s.TransB, accumulate: false, threads);
            samples[i] = s.Flops / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
        }

        Array.Sort(samples);
        return (samples[samples.Length / 2], samples[^1]);
    }

    /// <summary>
    /// `quick-gemm ab`: driver settings interleaved call by call on every training shape, so that the shared
    /// machine's load drifts hit all alike (the K block used when K is split: only the weight-gradient shapes).
    /// </summary>
    private static void CompareSettings()
    {
        var fastest = (IBlockedGemm)KernelRegistry.AllGemm[1];
        var settings = new (string Name, IGemm Gemm)[]
        {
            ("K block 128", fastest.WithBlocking(PackedGemmBlocking.Default with { KBlockSplit = 128 })),
            ("K block 256", fastest.WithBlocking(PackedGemmBlocking.Default with { KBlockSplit = 256 })),
        };
        foreach (GemmShape shape in GemmShape.Training)
        {
            var a = Random(shape.M * shape.K, 1);
            var b = Random(shape.K * shape.N, 2);
            var c = new float[shape.M * shape.N];
            foreach (int threads in new[] { 1, 2 })
            {
                var samples = settings.Select(_ => new List<double>()).ToArray();
                for (int round = 0; round < 31; round++)
                {
                    for (int s = 0; s < settings.Length; s++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        settings[s].Gemm.Multiply(a, b, c, shape.M, shape.N, shape.K, shape.TransA, shape.TransB, false, threads);
                        samples[s].Add(shape.Flops / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9);
                    }
                }

                for (int s = 0; s < settings.Length; s++)
                {
                    samples[s].Sort();
                    Console.WriteLine($"{shape.Label,-17} {threads} thr {settings[s].Name,-14} median {samples[s][samples[s].Count / 2],6:F1}  best {samples[s][^1],6:F1} GFLOP/s");
                }
            }
        }
    }

    /// <summary>
    /// Best over runs of the FMA loop on <paramref name="threads"/> threads started together: the machine is shared,
    /// and the peak is what the cores can do when they are ours, so the best run is the honest yardstick.
    /// </summary>
    public static double MeasurePeak(int threads)
    {
        const int iterations = 2_000_000;
        PeakFlops.Run(10_000);
        var samples = new double[15];
        for (int i = 0; i < samples.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() => PeakFlops.Run(iterations))).ToArray();
            foreach (var t in workers)
            {
                t.Start();
            }

            foreach (var t in workers)
            {
                t.Join();
            }

            samples[i] = threads * PeakFlops.FlopsPerRun(iterations) / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
        }

        return samples.Max();
    }

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
