using BenchmarkDotNet.Attributes;

namespace Clickwise.Benchmarks.Kernels;

/// <summary>
/// The machine's fp32 peak: <see cref="PeakFlops"/> on 1 and 2 threads; one operation is 15M iterations of 12
/// Vector512 FMAs per thread (5.76 GFLOP per thread), so GFLOP/s = 5.76·Threads / mean seconds.
/// </summary>
public class PeakFlopsBenchmarks
{
    private const int Iterations = 15_000_000;

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
