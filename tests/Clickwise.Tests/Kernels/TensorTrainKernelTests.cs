using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Tests.Kernels;

/// <summary>Every registered tensor-train row kernel against the train's definition, summed element by element, and the automatic shapes.</summary>
public sealed class TensorTrainKernelTests
{
    public static TheoryData<string> Variants => [.. KernelRegistry.AllTensorTrain.Select(k => k.Name)];

    private static ITensorTrainKernel Kernel(string name) => KernelRegistry.AllTensorTrain.Single(k => k.Name == name);

    [Theory]
    [InlineData(1_000_000, 16, 16, new[] { 100, 100, 100 }, new[] { 2, 2, 4 }, new[] { 1, 16, 16, 1 })]
    [InlineData(2_686_408, 16, 16, new[] { 140, 139, 139 }, new[] { 2, 2, 4 }, new[] { 1, 16, 16, 1 })]
    [InlineData(1000, 10, 64, new[] { 10, 10, 10 }, new[] { 1, 2, 5 }, new[] { 1, 10, 50, 1 })] // ranks capped at the full TT rank
    [InlineData(6, 4, 3, new[] { 2, 2, 2 }, new[] { 1, 2, 2 }, new[] { 1, 2, 3, 1 })]
    [InlineData(1, 7, 4, new[] { 1, 1, 1 }, new[] { 1, 1, 7 }, new[] { 1, 1, 1, 1 })]
    public void ShapesFactorTheVocabularyAndTheWidth(int vocabulary, int dim, int rank, int[] p, int[] q, int[] ranks)
    {
        TensorTrainShape shape = TensorTrainShape.For(vocabulary, dim, rank);
        Assert.Equal(p, shape.RowFactors);
        Assert.Equal(q, shape.DimFactors);
        Assert.Equal(ranks, shape.Ranks);
        Assert.True(shape.Capacity >= vocabulary);
        Assert.Equal(dim, shape.Dim);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void RowsAreTheChainOfTheirSlices(string variant)
    {
        foreach ((int vocabulary, int dim, int rank) in new[] { (30, 12, 3), (7, 5, 2), (100, 16, 4), (1000, 64, 16) })
        {
            RowsMatchTheDefinition(Kernel(variant), vocabulary, dim, rank);
        }
    }

    private static void RowsMatchTheDefinition(ITensorTrainKernel kernel, int vocabulary, int dim, int rank)
    {
        TensorTrainShape shape = TensorTrainShape.For(vocabulary, dim, rank);
        float[] cores = new float[shape.Length];
        new SeededRandom(3).FillUniform(cores, 1.0);
        var row = new float[dim];
        var scratch = new float[shape.ForwardScratchLength];
        for (int v = 0; v < vocabulary; v++)
        {
            kernel.Forward(cores, shape, v, 0.75f, row, scratch);
            double[] expected = Definition(cores, shape, v);
            for (int d = 0; d < dim; d++)
            {
                Assert.True(Math.Abs(0.75 * expected[d] - row[d]) <= 1e-5 * Math.Max(1, Math.Abs(expected[d])),
                    $"{kernel.Name} V {vocabulary} D {dim} r {rank} row {v}[{d}]: {row[d]} vs {0.75 * expected[d]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void BackwardTouchesOnlyTheRowsSlices(string variant)
    {
        TensorTrainShape shape = TensorTrainShape.For(60, 8, 3);
        float[] cores = new float[shape.Length], dCores = new float[shape.Length], dRow = new float[8];
        new SeededRandom(5).FillUniform(cores, 1.0);
        new SeededRandom(6).FillUniform(dRow, 1.0);
        Kernel(variant).Backward(cores, shape, 37, 1.5f, dRow, dCores, new float[shape.BackwardScratchLength]);
        Span<int> digits = stackalloc int[3];
        shape.Digits(37, digits);
        for (int k = 0; k < 3; k++)
        {
            int sliceLength = shape.CoreLength(k) / shape.RowFactors[k];
            for (int i = shape.CoreOffset(k); i < shape.CoreOffset(k) + shape.CoreLength(k); i++)
            {
                bool inSlice = i >= shape.SliceOffset(k, digits[k]) && i < shape.SliceOffset(k, digits[k]) + sliceLength;
                Assert.True(inSlice || dCores[i] == 0f, $"core {k} entry {i} outside row 37's slice has gradient {dCores[i]}");
            }

            Assert.Contains(dCores.AsSpan(shape.SliceOffset(k, digits[k]), sliceLength).ToArray(), g => g != 0f);
        }
    }

    /// <summary>The fast variant's rows and core gradients against the reference's, over every row of a padded train.</summary>
    [Fact]
    public void TheVariantsAgree()
    {
        TensorTrainShape shape = TensorTrainShape.For(300, 16, 8);
        float[] cores = new float[shape.Length], dRow = new float[16];
        new SeededRandom(7).FillUniform(cores, 1.0);
        new SeededRandom(8).FillUniform(dRow, 1.0);
        ITensorTrainKernel reference = KernelRegistry.AllTensorTrain[0];
        Assert.Equal("tensor-train-reference", reference.Name);
        foreach (ITensorTrainKernel fast in KernelRegistry.AllTensorTrain.Skip(1))
        {
            float[] expected = new float[16], actual = new float[16], dExpected = new float[shape.Length], dActual = new float[shape.Length];
            var scratch = new float[shape.BackwardScratchLength];
            for (int v = 0; v < 300; v++)
            {
                reference.Forward(cores, shape, v, 1.25f, expected, scratch);
                fast.Forward(cores, shape, v, 1.25f, actual, scratch);
                reference.Backward(cores, shape, v, 1.25f, dRow, dExpected, scratch);
                fast.Backward(cores, shape, v, 1.25f, dRow, dActual, scratch);
                for (int d = 0; d < 16; d++)
                {
                    Assert.True(Math.Abs(expected[d] - actual[d]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[d])), $"{fast.Name} row {v}[{d}]");
                }
            }

            for (int i = 0; i < shape.Length; i++)
            {
                Assert.True(Math.Abs(dExpected[i] - dActual[i]) <= 1e-4f * Math.Max(1f, Math.Abs(dExpected[i])), $"{fast.Name} dCores[{i}]: {dActual[i]} vs {dExpected[i]}");
            }
        }
    }

    /// <summary>row[(j1·q2 + j2)·q3 + j3] = Σ_{a,b} G1[i1, 0, j1, a]·G2[i2, a, j2, b]·G3[i3, b, j3, 0], in double.</summary>
    internal static double[] Definition(float[] cores, TensorTrainShape shape, int row)
    {
        int[] p = shape.RowFactors, q = shape.DimFactors, r = shape.Ranks;
        int i1 = row / (p[1] * p[2]), i2 = row / p[2] % p[1], i3 = row % p[2];
        var result = new double[shape.Dim];
        for (int j1 = 0; j1 < q[0]; j1++)
        {
            for (int j2 = 0; j2 < q[1]; j2++)
            {
                for (int j3 = 0; j3 < q[2]; j3++)
                {
                    double sum = 0;
                    for (int a = 0; a < r[1]; a++)
                    {
                        for (int b = 0; b < r[2]; b++)
                        {
                            sum += (double)cores[shape.CoreOffset(0) + (i1 * q[0] + j1) * r[1] + a]
                                * cores[shape.CoreOffset(1) + ((i2 * r[1] + a) * q[1] + j2) * r[2] + b]
                                * cores[shape.CoreOffset(2) + (i3 * r[2] + b) * q[2] + j3];
                        }
                    }

                    result[(j1 * q[1] + j2) * q[2] + j3] = sum;
                }
            }
        }

        return result;
    }
}
