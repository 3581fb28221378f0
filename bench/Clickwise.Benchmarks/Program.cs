using BenchmarkDotNet.Running;
using Clickwise.Benchmarks.Kernels;

namespace Clickwise.Benchmarks;

internal static class Program
{
    public static void Main(string[] args)
    {
        // Quick modes print medians in seconds without BenchmarkDotNet's process-per-benchmark machinery.
        if (args.Length > 0 && args[0] == "quick-gemm")
        {
            QuickGemm.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "quick-kernels")
        {
            QuickKernels.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "quick-optimizer")
        {
            QuickOptimizer.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "quick-sparse")
        {
            QuickSparse.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "quick-eigen")
        {
            Compression.QuickEigen.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "e2e")
        {
            EndToEnd.DeepFwFMSpeed.Run(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
