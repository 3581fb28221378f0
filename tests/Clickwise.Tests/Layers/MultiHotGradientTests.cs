using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>
/// Central-difference checks of the layers that pool multi-hot fields (a field's embedding is Σ_k v_k·T[id_k]): the
/// embedding, the first-order term and FFM's field-aware rows, with repeated ids inside and across fields.
/// </summary>
public sealed class MultiHotGradientTests(ITestOutputHelper output)
{
    private const int B = 5, F = 4, D = 3, V = 11;

    /// <summary>B·F lookups with 0-3 extra features each (lookup 0 none, lookup 1 three with a repeated id).</summary>
    private static (int[] Offsets, int[] Ids, float[] Values) Extras(long seed)
    {
        var random = new SeededRandom(seed);
        int[] offsets = new int[B * F + 1];
        for (int n = 0; n < B * F; n++)
        {
            offsets[n + 1] = offsets[n] + (n == 0 ? 0 : n == 1 ? 3 : (int)(random.NextUInt64() % 3));
        }

        int[] ids = new int[offsets[^1]];
        for (int e = 0; e < ids.Length; e++)
        {
            ids[e] = (int)(random.NextUInt64() % V);
        }

        ids[0] = ids[1] = 7;
        return (offsets, ids, GradientCheck.RandomWeights(ids.Length, seed + 1));
    }

    private static int[] Ids(long seed)
    {
        var random = new SeededRandom(seed);
        int[] ids = new int[B * F];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = (int)(random.NextUInt64() % V);
        }

        ids[1] = 7; // also one of lookup 1's extra features
        return ids;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmbeddingPoolsEveryFeatureOfAField(bool hasValues)
    {
        float[] table = GradientCheck.RandomWeights(V * D, 1), values = GradientCheck.RandomWeights(B * F, 2);
        float[] r = GradientCheck.RandomWeights(B * F * D, 3);
        int[] ids = Ids(4);
        (int[] offsets, int[] extraIds, float[] extraValues) = Extras(5);
        var outBuf = new float[B * F * D];
        double Loss()
        {
            Embedding.Forward(table, ids, values, hasValues, B, F, D, outBuf, new ExtraLookups(offsets, extraIds, extraValues));
            return GradientCheck.Dot(outBuf, r);
        }

        Loss();
        // Lookup 1 is its first feature plus three more.
        float x = hasValues ? values[1] : 1f;
        for (int d = 0; d < D; d++)
        {
            float expected = table[ids[1] * D + d] * x;
            for (int e = offsets[1]; e < offsets[2]; e++)
            {
                expected += table[extraIds[e] * D + d] * extraValues[e];
            }

            Assert.Equal(expected, outBuf[D + d]);
        }

        Parameter p = Parameter.RowSparse("embedding", ParameterRole.Embedding, V, D).PrepareRowGradient(B * F);
        Embedding.Backward(table, ids, values, hasValues, r, B, F, D, p.RowGrad!, default, new ExtraLookups(offsets, extraIds, extraValues));
        GradientCheck.Check("embedding.table (multi-hot)", table, GradientCheck.Densify(p), Loss, output: output);
    }

    [Fact]
    public void FirstOrderSumsEveryFeaturesWeight()
    {
        float[] w = GradientCheck.RandomWeights(V, 6), values = GradientCheck.RandomWeights(B * F, 7), r = GradientCheck.RandomWeights(B, 8);
        int[] ids = Ids(9);
        (int[] offsets, int[] extraIds, float[] extraValues) = Extras(10);
        var outBuf = new float[B];
        double Loss()
        {
            FirstOrder.Forward(w, ids, values, true, B, F, outBuf, new ExtraLookups(offsets, extraIds, extraValues));
            return GradientCheck.Dot(outBuf, r);
        }

        Loss();
        double first = 0;
        for (int f = 0; f < F; f++)
        {
            first += w[ids[f]] * values[f];
        }

        for (int e = offsets[0]; e < offsets[F]; e++)
        {
            first += w[extraIds[e]] * extraValues[e];
        }

        Assert.Equal(first, outBuf[0], 1e-6);
        Parameter p = Parameter.RowSparse("first_order", ParameterRole.FirstOrder, V, 1).PrepareRowGradient(B * F);
        FirstOrder.Backward(w, ids, values, true, r, B, F, p.RowGrad!, default, new ExtraLookups(offsets, extraIds, extraValues));
        GradientCheck.Check("first_order.w (multi-hot)", w, GradientCheck.Densify(p), Loss, output: output);
    }

    public static TheoryData<string> FFMKernels() => new(KernelRegistry.AllFFM.Select(k => k.Name));

    [Theory]
    [MemberData(nameof(FFMKernels))]
    public void FieldAwarePairsSumEveryCrossFieldFeaturePair(string kernel)
    {
        float[] table = GradientCheck.RandomWeights(V * F * D, 11), values = GradientCheck.RandomWeights(B * F, 12);
        int[] ids = Ids(13);
        (int[] offsets, int[] extraIds, float[] extraValues) = Extras(14);
        float[] y = [.. Enumerable.Repeat(0.5f, B)];
        PooledFieldAwareRows.AddRows(KernelRegistry.AllFFM.Single(k => k.Name == kernel), table, ids, values,
            new ExtraLookups(offsets, extraIds, extraValues), F, D, 0, B, y);
        for (int b = 0; b < B; b++)
        {
            // Every field's features as (id, value), the first one included.
            var features = Enumerable.Range(0, F).Select(f =>
                new[] { (Id: ids[b * F + f], X: (double)values[b * F + f]) }
                    .Concat(Enumerable.Range(offsets[b * F + f], offsets[b * F + f + 1] - offsets[b * F + f])
                        .Select(e => (Id: extraIds[e], X: (double)extraValues[e]))).ToArray()).ToArray();
            double expected = 0;
            for (int i = 0; i < F; i++)
            {
                for (int j = i + 1; j < F; j++)
                {
                    foreach (var (idI, xI) in features[i])
                    {
                        foreach (var (idJ, xJ) in features[j])
                        {
                            for (int d = 0; d < D; d++)
                            {
                                expected += xI * xJ * table[(idI * F + j) * D + d] * table[(idJ * F + i) * D + d];
                            }
                        }
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
    public void FieldAwarePoolingGradient(int partCount)
    {
        // Slot = row id, so the slot rows are the dense table gradient; every part count must give the same sums.
        float[] table = GradientCheck.RandomWeights(V * F * D, 15), values = GradientCheck.RandomWeights(B * F, 16);
        float[] r = GradientCheck.RandomWeights(B, 17);
        int[] ids = Ids(18);
        (int[] offsets, int[] extraIds, float[] extraValues) = Extras(19);
        var y = new float[B];
        double Loss()
        {
            Array.Clear(y);
            PooledFieldAwareRows.AddRows(KernelRegistry.AllFFM[0], table, ids, values, new ExtraLookups(offsets, extraIds, extraValues),
                F, D, 0, B, y);
            return GradientCheck.Dot(y, r);
        }

        var dTable = new float[table.Length];
        for (int part = 0; part < partCount; part++)
        {
            FieldAwareInteraction.BackwardPooled(table, ids, values, new ExtraLookups(offsets, extraIds, extraValues), r, ids, extraIds,
                B, F, D, dTable, part, partCount);
        }

        GradientCheck.Check("ffm.field_aware (multi-hot)", table, dTable, Loss, output: output);
    }
}
