using Clickwise.Kernels;

namespace Clickwise.Tests.Kernels;

/// <summary>
/// Prepared dense products (weights packed once, bias and ReLU fused into the GEMM's store) against the reference
/// GEMM followed by a plain bias + ReLU loop, for every registered variant.
/// </summary>
public sealed class KernelDenseProductTests
{
    public static TheoryData<string> Variants()
    {
        var data = new TheoryData<string>();
        foreach (IGemm gemm in KernelRegistry.AllGemm)
        {
            data.Add(gemm.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void MatchesGemmThenBiasAndReluForEveryWidthFrom0To257(string name)
    {
        for (int n = 1; n <= 257; n++)
        {
            Check(name, rows: 13 + n % 3, inputSize: 9 + n % 5, outputSize: n, relu: (n & 1) == 1, seed: n);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void MatchesOnOddRowsInputsAndTheModelShapes(string name)
    {
        int seed = 0;
        foreach ((int rows, int inputSize, int outputSize) in new[]
                 {
                     (0, 5, 7), (1, 390, 400), (11, 33, 17), (12, 400, 400), (13, 1, 31), (25, 257, 65), (257, 390, 400),
                     (100, 1100, 33), // K long enough to be cut into blocks: the epilogue must run once, on the last
                 })
        {
            Check(name, rows, inputSize, outputSize, relu: true, seed++);
            Check(name, rows, inputSize, outputSize, relu: false, seed++);
        }
    }

    private static void Check(string name, int rows, int inputSize, int outputSize, bool relu, int seed)
    {
        IGemm gemm = KernelRegistry.AllGemm.Single(g => g.Name == name);
        float[] weight = KernelData.Random(inputSize * outputSize, seed * 3 + 1);
        float[] bias = KernelData.Random(outputSize, seed * 3 + 2);
        float[] x = KernelData.Random(rows * inputSize, seed * 3 + 3);
        float[] expected = new float[rows * outputSize];
        KernelRegistry.AllGemm[0].Multiply(x, weight, expected, rows, outputSize, inputSize, false, false, false, threads: 1);
        for (int i = 0; i < expected.Length; i++)
        {
            float v = expected[i] + bias[i % outputSize];
            expected[i] = relu && v < 0f ? 0f : v;
        }

        // Stale values in y must be overwritten, not accumulated.
        float[] actual = KernelData.Random(rows * outputSize, seed * 3 + 4);
        gemm.PrepareDense(weight, bias, inputSize, outputSize, relu).Forward(x, rows, actual);
        KernelData.AssertClose(expected, actual, 1e-6 * (inputSize + 1), 1e-5,
                               $"{name} rows={rows} in={inputSize} out={outputSize} relu={relu}");
    }
}
