using System.Diagnostics;
using Clickwise.Compression.LowRank;

namespace Clickwise.Benchmarks.Compression;

/// <summary>
/// `quick-eigen`: median seconds of the symmetric eigendecomposition (<see cref="EigenBasis"/>, MathNet's managed
/// EVD) at the covariance sizes AFM meets: embedding widths (16, 50), the Criteo DNN (400) and the Avazu DNN (2000).
/// </summary>
internal static class QuickEigen
{
    public static void Run()
    {
        foreach (int n in (int[])[16, 50, 400, 1000, 2000])
        {
            double[] a = Covariance(n);
            int reps = n >= 1000 ? 3 : 7;
            var seconds = new double[reps];
            for (int r = 0; r < reps; r++)
            {
                long start = Stopwatch.GetTimestamp();
                EigenBasis.Of(a, n, new double[n]);
                seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            Array.Sort(seconds);
            Console.WriteLine($"eigen {n,5}×{n,-5} median {seconds[reps / 2],9:F4} s  (best {seconds[0]:F4}, {reps} runs)");
        }
    }

    private static double[] Covariance(int n)
    {
        var random = new Random(n);
        var a = new double[(long)n * n];
        double[] x = new double[n];
        for (int s = 0; s < 64; s++)
        {
            for (int i = 0; i < n; i++)
            {
                x[i] = random.NextDouble() - 0.5;
            }

            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    a[i * n + j] += x[i] * x[j];
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            a[i * n + i] += 1e-3; // a covariance is full rank in practice
        }

        return a;
    }
}
