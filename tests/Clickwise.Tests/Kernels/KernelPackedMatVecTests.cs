using Clickwise.Kernels.Reference;
using Clickwise.Kernels.Simd;

namespace Clickwise.Tests.Kernels;

/// <summary>The band-packed batch-1 matvec of the inference plans against the reference GEMM, over odd shapes.</summary>
public sealed class KernelPackedMatVecTests
{
    public static TheoryData<int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (int input in new[] { 1, 2, 7, 33, 390 })
        {
            foreach (int output in new[] { 1, 5, 16, 17, 127, 128, 129, 257, 300, 400 })
            {
                data.Add(input, output, (input + output) % 2 == 0);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PackedMatVecEqualsTheReference(int inputSize, int outputSize, bool relu)
    {
        float[] x = KernelData.Random(inputSize, 1);
        float[] w = KernelData.Random(inputSize * outputSize, 2);
        float[] bias = KernelData.Random(outputSize, 3);
        float[] expected = new float[outputSize];
        new ReferenceGemm().Multiply(x, w, expected, 1, outputSize, inputSize, false, false, accumulate: false, threads: 1);
        for (int o = 0; o < outputSize; o++)
        {
            expected[o] += bias[o];
            if (relu && expected[o] < 0)
            {
                expected[o] = 0;
            }
        }

        float[] packed = PackedMatVec.Pack(w, inputSize, outputSize);
        Assert.Equal(PackedMatVec.PackedLength(inputSize, outputSize), packed.Length);
        float[] actual = new float[outputSize];
        PackedMatVec.Multiply(x, packed, bias, actual, inputSize, outputSize, relu);
        KernelData.AssertClose(expected, actual, 1e-5, 1e-5, $"packed matvec {inputSize}x{outputSize}");

        float[] noBias = new float[outputSize];
        PackedMatVec.Multiply(x, packed, default, noBias, inputSize, outputSize, relu: false);
        for (int o = 0; o < outputSize; o++)
        {
            Assert.Equal(actual[o], relu ? Math.Max(0f, noBias[o] + bias[o]) : noBias[o] + bias[o], 4e-5f);
        }
    }

    [Fact]
    public void PackingRejectsAWeightOfTheWrongSize() =>
        Assert.Throws<ArgumentException>(() => PackedMatVec.Pack(new float[10], 3, 4));
}
