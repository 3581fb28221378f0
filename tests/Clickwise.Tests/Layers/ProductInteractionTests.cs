using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>
/// The product-style interactions (NFM bi-interaction, IPNN inner products, OPNN outer products, FFM): each against
/// its plain-loop definition in double, and a central-difference check of every input and parameter.
/// </summary>
public sealed class ProductInteractionTests(ITestOutputHelper output)
{
    private const int B = 4, F = 5, D = 3;

    private static double Dot(float[] e, int b, int i, int j, int fieldCount, int dim)
    {
        double s = 0;
        for (int d = 0; d < dim; d++)
        {
            s += (double)e[(b * fieldCount + i) * dim + d] * e[(b * fieldCount + j) * dim + d];
        }

        return s;
    }

    [Fact]
    public void BiInteractionIsTheSumOfPairwiseProducts()
    {
        float[] e = GradientCheck.RandomWeights(B * F * D, 1);
        var y = new float[B * D];
        BiInteraction.Forward(e, B, F, D, new float[B * D], y);
        for (int b = 0; b < B; b++)
        {
            for (int d = 0; d < D; d++)
            {
                double expected = 0;
                for (int i = 0; i < F; i++)
                {
                    for (int j = i + 1; j < F; j++)
                    {
                        expected += (double)e[(b * F + i) * D + d] * e[(b * F + j) * D + d];
                    }
                }

                Assert.Equal(expected, y[b * D + d], 1e-5);
            }
        }
    }

    [Fact]
    public void BiInteractionGradient()
    {
        float[] e = GradientCheck.RandomWeights(B * F * D, 2), r = GradientCheck.RandomWeights(B * D, 3);
        var sum = new float[B * D];
        var y = new float[B * D];
        double Loss()
        {
            BiInteraction.Forward(e, B, F, D, sum, y);
            return GradientCheck.Dot(y, r);
        }

        Loss();
        var dE = new float[e.Length];
        BiInteraction.Backward(e, sum, r, B, F, D, dE);
        GradientCheck.Check("bi_interaction.embeddings", e, dE, Loss, output: output);
    }

    [Fact]
    public void InnerProductsFollowFieldPairOrder()
    {
        float[] e = GradientCheck.RandomWeights(B * F * D, 4);
        int pairs = FieldPairs.Count(F);
        var y = new float[B * pairs];
        InnerProduct.Forward(e, B, F, D, y);
        for (int b = 0; b < B; b++)
        {
            for (int i = 0; i < F; i++)
            {
                for (int j = i + 1; j < F; j++)
                {
                    Assert.Equal(Dot(e, b, i, j, F, D), y[b * pairs + FieldPairs.Index(i, j, F)], 1e-5);
                }
            }
        }
    }

    [Fact]
    public void InnerProductGradient()
    {
        int pairs = FieldPairs.Count(F);
        float[] e = GradientCheck.RandomWeights(B * F * D, 5), r = GradientCheck.RandomWeights(B * pairs, 6);
        var y = new float[B * pairs];
        double Loss()
        {
            InnerProduct.Forward(e, B, F, D, y);
            return GradientCheck.Dot(y, r);
        }

        var dE = new float[e.Length];
        InnerProduct.Backward(e, r, B, F, D, dE);
        GradientCheck.Check("inner_product.embeddings", e, dE, Loss, output: output);
    }

    [Fact]
    public void OuterProductKernelsReadTheSummedOuterProducts()
    {
        const int H = 4;
        float[] e = GradientCheck.RandomWeights(B * F * D, 7), w = GradientCheck.RandomWeights(D * H * D, 8);
        var y = new float[B * H];
        new OuterProductHarness(B, F, D, H).Forward(e, w, y);
        for (int b = 0; b < B; b++)
        {
            for (int n = 0; n < H; n++)
            {
                // ⟨W_n, Σ_i Σ_j e_i e_jᵀ⟩ by the definition, pair by pair.
                double expected = 0;
                for (int i = 0; i < F; i++)
                {
                    for (int j = 0; j < F; j++)
                    {
                        for (int d1 = 0; d1 < D; d1++)
                        {
                            for (int d2 = 0; d2 < D; d2++)
                            {
                                expected += (double)w[(d1 * H + n) * D + d2] * e[(b * F + i) * D + d1] * e[(b * F + j) * D + d2];
                            }
                        }
                    }
                }

                Assert.Equal(expected, y[b * H + n], 1e-4);
            }
        }
    }

    [Fact]
    public void OuterProductGradient()
    {
        const int H = 4;
        float[] e = GradientCheck.RandomWeights(B * F * D, 9), w = GradientCheck.RandomWeights(D * H * D, 10);
        float[] r = GradientCheck.RandomWeights(B * H, 11);
        var layer = new OuterProductHarness(B, F, D, H);
        var y = new float[B * H];
        double Loss()
        {
            layer.Forward(e, w, y);
            return GradientCheck.Dot(y, r);
        }

        Loss();
        var dE = new float[e.Length];
        var dW = new float[w.Length];
        layer.Backward(w, r, dE, dW);
        GradientCheck.Check("outer_product.embeddings", e, dE, Loss, output: output);
        GradientCheck.Check("outer_product.kernels", w, dW, Loss, output: output);
    }

    public static TheoryData<string> FFMKernels() => new(KernelRegistry.AllFFM.Select(k => k.Name));

    [Theory]
    [MemberData(nameof(FFMKernels))]
    public void FieldAwareInteractionPairsEachFieldsVectorForTheOther(string kernel)
    {
        // Rows repeat across and within samples, and numeric values scale them.
        const int V = 5;
        float[] table = GradientCheck.RandomWeights(V * F * D, 12), values = GradientCheck.RandomWeights(B * F, 15);
        int[] ids = [.. Enumerable.Range(0, B * F).Select(k => k * 7 % V)];
        float[] y = [.. Enumerable.Repeat(0.5f, B)]; // the kernel adds to the logits
        KernelRegistry.AllFFM.Single(k => k.Name == kernel).AddRows(table, ids, values, F, D, 0, B, y);
        for (int b = 0; b < B; b++)
        {
            double expected = 0;
            for (int i = 0; i < F; i++)
            {
                for (int j = i + 1; j < F; j++)
                {
                    int ri = ids[b * F + i], rj = ids[b * F + j];
                    for (int d = 0; d < D; d++)
                    {
                        expected += (double)values[b * F + i] * values[b * F + j]
                            * table[(ri * F + j) * D + d] * table[(rj * F + i) * D + d];
                    }
                }
            }

            Assert.Equal(expected + 0.5, y[b], 1e-5);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FieldAwareInteractionGradient(int partCount)
    {
        // Slot = row id, so the slot rows are the dense table gradient; every part count must give the same sums.
        const int V = 5;
        float[] table = GradientCheck.RandomWeights(V * F * D, 13), r = GradientCheck.RandomWeights(B, 14);
        float[] values = GradientCheck.RandomWeights(B * F, 16);
        int[] ids = [.. Enumerable.Range(0, B * F).Select(k => k * 7 % V)];
        var y = new float[B];
        double Loss()
        {
            Array.Clear(y);
            KernelRegistry.AllFFM[0].AddRows(table, ids, values, F, D, 0, B, y);
            return GradientCheck.Dot(y, r);
        }

        var dTable = new float[table.Length];
        for (int part = 0; part < partCount; part++)
        {
            FieldAwareInteraction.Backward(table, ids, values, r, ids, B, F, D, dTable, part, partCount);
        }

        GradientCheck.Check("ffm.field_aware", table, dTable, Loss, output: output);
    }

    [Fact]
    public void FieldAwareInteractionLeavesTheDiagonalWithoutGradient()
    {
        float[] table = GradientCheck.RandomWeights(B * F * F * D, 17), r = GradientCheck.RandomWeights(B, 18);
        int[] ids = [.. Enumerable.Range(0, B * F)];
        var dTable = new float[table.Length];
        FieldAwareInteraction.Backward(table, ids, default, r, ids, B, F, D, dTable, 0, 1);
        Assert.Contains(dTable, g => g != 0f);
        for (int lookup = 0; lookup < B * F; lookup++)
        {
            int i = lookup % F;
            Assert.All(dTable.AsSpan((lookup * F + i) * D, D).ToArray(), g => Assert.Equal(0f, g));
        }
    }

    /// <summary>Owns the scratch <see cref="OuterProduct"/> needs.</summary>
    private sealed class OuterProductHarness(int batchSize, int fieldCount, int dim, int kernelCount)
    {
        private readonly float[] _sum = new float[batchSize * dim];
        private readonly float[] _projected = new float[batchSize * kernelCount * dim];
        private readonly float[] _dProjected = new float[batchSize * kernelCount * dim];
        private readonly float[] _dSum = new float[batchSize * dim];

        public void Forward(float[] embeddings, float[] kernels, float[] output) =>
            OuterProduct.Forward(ComputeContext.Default, embeddings, kernels, batchSize, fieldCount, dim, kernelCount, _sum, _projected, output);

        public void Backward(float[] kernels, float[] dOutput, float[] dEmbeddings, float[] dKernels) =>
            OuterProduct.Backward(ComputeContext.Default, kernels, _sum, _projected, dOutput, batchSize, fieldCount, dim, kernelCount,
                _dProjected, _dSum, dEmbeddings, dKernels);
    }
}
