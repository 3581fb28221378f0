using BenchmarkDotNet.Attributes;

namespace Clickwise.Benchmarks.Kernels;

/// <summary>
/// The machine's fp32 peak: <see cref="PeakFlops"/> on 1 and 2 threads. GFLOP/s = FlopsPerRun(Iterations)·Threads
/// / mean time (printed by quick-gemm; here read it off the mean: 1 op = one whole FMA loop per thread).
/// </summary>
public class PeakFlopsBenchmarks
{
    private const int Iterations = 1_000_000;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Benchmark]
    public void FmaLoop()
    {
        if (Threads == 1)
        {
            PeakFlops.Run(Iterations);
            return;
        }

        var other = new Thread(() => PeakFlops.Run(Iterations));
        other.Start();
        PeakFlops.Run(Iterations);
        other.Join();
    }
}
