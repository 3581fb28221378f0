using Clickwise.Kernels;

namespace Clickwise.Benchmarks.Kernels;

/// <summary>
/// `quick-sparse`: medians of the pruned-layer kernels at the Criteo DNN's sizes, one request at a time: a 99%-pruned
/// 400×400 layer in sliced ELLPACK and in CSR, and the live sub-network of a 95%-pruned 390→400→400→400→1 MLP.
/// </summary>
internal static unsafe class QuickSparse
{
    private const int Calls = 100;

    public static void Run()
    {
        Console.WriteLine(KernelRegistry.Describe());
        var random = new Random(11);
        float[] Pruned(int rows, int columns, double sparsity) =>
            [.. Enumerable.Range(0, rows * columns).Select(_ => random.NextDouble() < sparsity ? 0f : (float)(random.NextDouble() - 0.5))];

        float[] layer = Pruned(400, 400, 0.99);
        float[][] inputs = [.. Enumerable.Range(0, 64).Select(_ => Relu(Pruned(1, 400, 0.0)))];
        float[] y = new float[400];
        int next = 0;
        foreach (ISparseMatrix matrix in (ISparseMatrix[])[SlicedEllMatrix.FromDense(layer, 400, 400), CsrMatrix.FromDense(layer, 400, 400)])
        {
            double us = QuickKernels.MedianMicroseconds(() =>
            {
                for (int call = 0; call < Calls; call++)
                {
                    matrix.MultiplyAdd(inputs[next++ & 63], y, 1);
                }
            }) / Calls;
            Console.WriteLine($"{matrix.Format,-6} 400×400 99% pruned, batch 1, varying inputs  {us,7:F2} µs");
        }

        int[] sizes = [390, 400, 400, 400, 1];
        float[][] weights = [.. Enumerable.Range(0, 4).Select(l => Pruned(sizes[l], sizes[l + 1], 0.95))];
        float[][] biases = [.. Enumerable.Range(0, 4).Select(l => Pruned(1, sizes[l + 1], 0.0))];
        SparseMlp mlp = SparseMlp.FromDense(weights, biases, 390);
        float[] a = new float[mlp.Width], b = new float[mlp.Width];
        float sink = 0;
        double mlpUs = QuickKernels.MedianMicroseconds(() =>
        {
            for (int call = 0; call < Calls; call++)
            {
                fixed (float* x = inputs[next++ & 63], pa = a, pb = b)
                {
                    sink += mlp.Forward(x, pa, pb);
                }
            }
        }) / Calls;
        Console.WriteLine($"sparse mlp 390→400→400→400→1 95% pruned, batch 1          {mlpUs,7:F2} µs ({sink:F0})");
    }

    private static float[] Relu(float[] x) => [.. x.Select(v => Math.Max(v, 0f))];
}
