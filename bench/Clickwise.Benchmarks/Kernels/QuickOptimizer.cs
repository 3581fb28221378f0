using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Training.Optimizers;

namespace Clickwise.Benchmarks.Kernels;

/// <summary>
/// `quick-optimizer`: median Adam and Adagrad steps on one thread at the Criteo preset's sizes: a 1.3M × 10 table with
/// the rows of B·F = 79872 random lookups touched, and a dense 400 × 400 weight. Only the active kernel
/// (<c>CLICKWISE_KERNELS</c> picks another): with several in one process the JIT's guess of the interface target, taken
/// from the first, makes the first look ~10% faster.
/// </summary>
internal static class QuickOptimizer
{
    private const int Rows = 1_300_000;
    private const int Dim = 10;
    private const int Lookups = 2048 * 39;

    public static void Run()
    {
        Console.WriteLine(KernelRegistry.Describe());
        var compute = ComputeContext.Default with { Threads = 1 };
        foreach (SlottedOptimizer optimizer in (SlottedOptimizer[])[new Adam(new OptimizerSettings(), compute),
                                                                     new Adagrad(new OptimizerSettings(), compute)])
        {
            var parameters = new ParameterSet(null);
            Parameter table = parameters.Add(Parameter.RowSparse("embedding", ParameterRole.Embedding, Rows, Dim));
            Parameter weight = parameters.Add(Parameter.Dense("w", ParameterRole.DenseWeight, 400, 400));
            parameters.PrepareRowGradients(Lookups);
            var random = new Random(9);
            int[] ids = [.. Enumerable.Range(0, Lookups).Select(_ => random.Next(Rows))];
            table.RowGrad!.Register(ids, new int[Lookups]);
            Fill(table.RowGrad.Values, random);
            Fill(weight.Grad!, random);
            double us = QuickKernels.MedianMicroseconds(() => optimizer.Step(parameters));
            Console.WriteLine($"{optimizer.Name,-8} step: {table.RowGrad.Count} rows of D={Dim} of {Rows / 1_000_000.0:F1}M + dense 400·400  {us,9:F1} µs");
        }
    }

    private static void Fill(float[] values, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
    }
}
