using System.Runtime.Intrinsics;
using Clickwise.Kernels;

namespace Clickwise.Tests.Kernels;

public sealed class KernelGemmTests
{
    private static readonly int[] s_dims = [0, 1, 2, 3, 7, 8, 13, 31, 32, 33, 63, 65, 129, 257, 390, 400];

    public static TheoryData<string> FastVariants()
    {
        var data = new TheoryData<string>();
        foreach (IGemm gemm in KernelRegistry.AllGemm.Skip(1))
        {
            data.Add(gemm.Name);
        }

        return data;
    }

    /// <summary>
    /// Odd shapes: every dimension value appears as m, n and k, paired with rotating partners, plus the
    /// 390/400 training edges and a K long enough to be split into blocks.
    /// </summary>
    public static IEnumerable<(int M, int N, int K)> Shapes()
    {
        int count = s_dims.Length;
        for (int i = 0; i < count; i++)
        {
            int small(int at) => s_dims[at % 12];
            yield return (s_dims[i], small(i * 5 + 3), small(i * 7 + 1));
            yield return (small(i * 3 + 2), s_dims[i], small(i * 5 + 4));
            yield return (small(i * 7 + 5), small(i + 6), s_dims[i]);
        }

        yield return (65, 390, 33);
        yield return (13, 400, 65);
        yield return (33, 65, 1100);
        yield return (129, 31, 390);
    }

    [Theory]
    [MemberData(nameof(FastVariants))]
    public void MatchesReferenceOnOddShapesAllTransposesAndAccumulate(string name)
    {
        IGemm gemm = Find(name);
        IGemm reference = KernelRegistry.AllGemm[0];
        int seed = 0;
        foreach ((int m, int n, int k) in Shapes())
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    bool accumulate = (seed & 1) == 1;
                    Check(gemm, reference, m, n, k, transA, transB, accumulate, seed++);
                    Check(gemm, reference, m, n, k, transA, transB, !accumulate, seed++);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(FastVariants))]
    public void MatchesReferenceForEveryWidthFrom0To257(string name)
    {
        IGemm gemm = Find(name);
        IGemm reference = KernelRegistry.AllGemm[0];
        for (int n = 0; n <= 257; n++)
        {
            Check(gemm, reference, 13, n, 9, transA: (n & 1) == 1, transB: (n & 2) == 2, accumulate: (n & 4) == 4, n);
        }

        for (int m = 0; m <= 257; m += 3)
        {
            Check(gemm, reference, m, 17, 5, transA: (m & 1) == 1, transB: (m & 2) == 2, accumulate: false, m);
        }
    }

    [Fact]
    public void TheTrainingShapesMatchTheReferenceOnSampledRows()
    {
        // Full 2048×400×400 references are slow; compare on the multi-threaded path by sub-sampling rows.
        IGemm gemm = KernelRegistry.AllGemm[1];
        const int m = 600, n = 390, k = 400;
        float[] a = KernelData.Random(m * k, 1);
        float[] b = KernelData.Random(k * n, 2);
        float[] c = new float[m * n];
        gemm.Multiply(a, b, c, m, n, k, false, true, false, ComputeContext.Default.Threads);
        float[] expected = new float[n];
        float[] actual = new float[n];
        foreach (int row in new[] { 0, 11, 12, 299, 300, 301, 587, 599 })
        {
            KernelRegistry.AllGemm[0].Multiply(a.AsSpan(row * k, k), b, expected, 1, n, k, false, true, false, threads: 1);
            c.AsSpan(row * n, n).CopyTo(actual);
            KernelData.AssertClose(expected, actual, 1e-5 * k, 1e-5, $"{gemm.Name} row {row}");
        }
    }

    [Theory]
    [MemberData(nameof(FastVariants))]
    public void OneAndTwoThreadsGiveBitIdenticalResultsRunToRun(string name)
    {
        IGemm gemm = Find(name);
        bool small = name == "gemm-scalar";
        (int m, int n, int k) = small ? (200, 70, 130) : (2048, 390, 400);
        foreach ((bool transA, bool transB) in new[] { (false, false), (false, true), (true, false) })
        {
            // The weight-gradient shape has the long K: m, n small, k large.
            (int mm, int nn, int kk) = transA ? (n, 400, small ? 600 : 2048) : (m, n, k);
            float[] a = KernelData.Random(mm * kk, 3);
            float[] b = KernelData.Random(kk * nn, 4);
            float[] start = KernelData.Random(mm * nn, 5);
            float[] one = (float[])start.Clone();
            float[] two = (float[])start.Clone();
            float[] twoAgain = (float[])start.Clone();
            gemm.Multiply(a, b, one, mm, nn, kk, transA, transB, true, threads: 1);
            gemm.Multiply(a, b, two, mm, nn, kk, transA, transB, true, threads: 2);
            gemm.Multiply(a, b, twoAgain, mm, nn, kk, transA, transB, true, threads: 2);
            Assert.Equal(one, two);
            Assert.Equal(two, twoAgain);
            Assert.NotEqual(start, one);
        }
    }

    [Fact]
    public void RegisteredVariantsFollowTheAcceleratedWidths()
    {
        string[] names = [.. KernelRegistry.AllGemm.Select(g => g.Name)];
        Assert.Equal("reference", names[0]);
        Assert.Equal(Vector512.IsHardwareAccelerated, names.Contains("gemm-v512"));
        Assert.Equal(Vector256.IsHardwareAccelerated, names.Contains("gemm-v256"));
        Assert.Contains("gemm-scalar", names);
        string? forced = Environment.GetEnvironmentVariable(KernelRegistry.EnvironmentVariable);
        if (string.IsNullOrEmpty(forced))
        {
            Assert.Same(KernelRegistry.AllGemm[1], KernelRegistry.Gemm);
        }
    }

    [Fact]
    public void RejectsOperandsThatAreTooSmall()
    {
        foreach (IGemm gemm in KernelRegistry.AllGemm)
        {
            Assert.Throws<ArgumentException>(() => gemm.Multiply(new float[5], new float[6], new float[6], 2, 2, 3,
                                                                 false, false, false, threads: 1));
        }
    }

    private static IGemm Find(string name) => KernelRegistry.AllGemm.Single(g => g.Name == name);

    private static void Check(IGemm gemm, IGemm reference, int m, int n, int k, bool transA, bool transB,
                              bool accumulate, int seed)
    {
        float[] a = KernelData.Random(m * k, seed * 3 + 1);
        float[] b = KernelData.Random(k * n, seed * 3 + 2);
        float[] expected = KernelData.Random(m * n, seed * 3 + 3);
        float[] actual = (float[])expected.Clone();
        reference.Multiply(a, b, expected, m, n, k, transA, transB, accumulate, threads: 1);
        gemm.Multiply(a, b, actual, m, n, k, transA, transB, accumulate, ComputeContext.Default.Threads);
        KernelData.AssertClose(expected, actual, 1e-6 * (k + 1), 1e-5,
                               $"{gemm.Name} m={m} n={n} k={k} transA={transA} transB={transB} accumulate={accumulate}");
    }
}
