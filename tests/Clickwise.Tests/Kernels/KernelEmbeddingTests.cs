using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Tests.Kernels;

public sealed class KernelEmbeddingTests
{
    public static TheoryData<string> FastVariants()
    {
        var data = new TheoryData<string>();
        foreach (IEmbeddingKernel kernel in KernelRegistry.AllEmbedding.Skip(1))
        {
            data.Add(kernel.Name);
        }

        return data;
    }

    [Fact]
    public void ReferenceGathersScaledRowsAndScattersSumsIntoSlots()
    {
        float[] table = [1, 2, 3, 4, 5, 6]; // 3 rows of D = 2
        float[] output = new float[6];
        var reference = KernelRegistry.AllEmbedding[0];
        reference.Gather(table, 2, [2, 0, 2], [1f, 0.5f, 2f], output);
        Assert.Equal([5f, 6f, 0.5f, 1f, 10f, 12f], output);

        float[] rows = [0.5f, 0.5f, 0, 0]; // 2 slots of D = 2; slot 0 already holds an earlier contribution
        reference.Scatter([1, 1, 2, 2, 3, 3], 2, [0, 1, 0], [1f, 0.5f, 2f], rows, 0, 1);
        Assert.Equal([7.5f, 7.5f, 1f, 1f], rows); // 0.5 + 1·1 + 3·2; 2·0.5
    }

    [Theory]
    [MemberData(nameof(FastVariants))]
    public void MatchesReferenceForDims1To257WithAndWithoutValuesAndExtraFeatures(string name)
    {
        IEmbeddingKernel kernel = KernelRegistry.AllEmbedding.Single(v => v.Name == name);
        IEmbeddingKernel reference = KernelRegistry.AllEmbedding[0];
        for (int dim = 1; dim <= 257; dim += dim < 40 ? 1 : 7)
        {
            const int rows = 23;
            int slots = dim % 9 == 0 ? 0 : 3 * 13;
            var random = new Random(dim);
            int[] ids = [.. Enumerable.Range(0, slots).Select(_ => random.Next(rows))];
            float[] table = KernelData.Random(rows * dim, dim);
            float[] values = (dim & 1) == 0 ? [] : KernelData.Random(slots, dim + 1);
            // Every fourth lookup has no extra feature, the others up to three.
            int[] offsets = new int[slots + 1];
            for (int n = 0; n < slots; n++)
            {
                offsets[n + 1] = offsets[n] + (n % 4 == 0 ? 0 : random.Next(4));
            }

            int[] extraIds = [.. Enumerable.Range(0, offsets[^1]).Select(_ => random.Next(rows))];
            float[] extraValues = KernelData.Random(extraIds.Length, dim + 5);

            float[] expected = new float[slots * dim];
            float[] actual = KernelData.Random(slots * dim, dim + 2);
            reference.Gather(table, dim, ids, values, expected);
            kernel.Gather(table, dim, ids, values, actual);
            Assert.Equal(expected, actual);
            reference.GatherExtra(table, dim, new ExtraLookups(offsets, extraIds, extraValues), expected);
            kernel.GatherExtra(table, dim, new ExtraLookups(offsets, extraIds, extraValues), actual);
            Assert.Equal(expected, actual);

            float[] dOutput = KernelData.Random(slots * dim, dim + 3);
            var gradient = new RowGradient(rows, dim, slots + extraIds.Length);
            int[] slotOfLookup = new int[slots], extraSlots = new int[extraIds.Length];
            gradient.Register(ids, slotOfLookup);
            gradient.Register(extraIds, extraSlots);
            float[] before = KernelData.Random(gradient.Count * dim, dim + 4);
            float[] expectedRows = [.. before];
            reference.Scatter(dOutput, dim, slotOfLookup, values, expectedRows, 0, 1);
            reference.ScatterExtra(dOutput, dim, new ExtraLookups(offsets, extraIds, extraValues), extraSlots, expectedRows, 0, 1);
            // multiply then add in lookup order, the extra features after the first ones: the reference's bits
            AssertEverySplitGives(expectedRows, before, (rows, part, parts) =>
            {
                kernel.Scatter(dOutput, dim, slotOfLookup, values, rows, part, parts);
                kernel.ScatterExtra(dOutput, dim, new ExtraLookups(offsets, extraIds, extraValues), extraSlots, rows, part, parts);
            });
        }
    }

    [Fact]
    public void ReferencePoolsExtraFeaturesOntoTheirLookupsAndScattersEachItsShare()
    {
        float[] table = [1, 2, 3, 4, 5, 6]; // 3 rows of D = 2
        float[] output = [10, 20, 30, 40]; // two lookups gathered already
        var reference = KernelRegistry.AllEmbedding[0];
        // lookup 0 has no extra feature, lookup 1 two: rows 2 (·0.5) and 0 (·2)
        reference.GatherExtra(table, 2, new ExtraLookups([0, 0, 2], [2, 0], [0.5f, 2f]), output);
        Assert.Equal([10f, 20f, 30f + 2.5f + 2f, 40f + 3f + 4f], output);

        float[] rows = [1, 1, 0, 0]; // 2 slots
        reference.ScatterExtra([7, 7, 1, 3], 2, new ExtraLookups([0, 0, 2], [2, 0], [0.5f, 2f]), [1, 0], rows, 0, 1);
        Assert.Equal([1f + 2f, 1f + 6f, 0.5f, 1.5f], rows);
    }

    [Fact]
    public void EveryVariantRejectsIdsOutsideTheTableAndSlotsOutsideTheRows()
    {
        foreach (IEmbeddingKernel kernel in KernelRegistry.AllEmbedding)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Gather(new float[4], 2, [2], [], new float[2]));
            Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Scatter(new float[2], 2, [2], [], new float[4], 0, 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Scatter(new float[2], 2, [0], [], new float[4], 1, 1));
        }
    }

    /// <summary>A scatter run as 1, 2 and 3 parts (last part first) onto <paramref name="before"/> gives <paramref name="expected"/>.</summary>
    private static void AssertEverySplitGives(float[] expected, float[] before, Action<float[], int, int> scatter)
    {
        foreach (int parts in (int[])[1, 2, 3])
        {
            float[] actual = [.. before];
            for (int part = parts - 1; part >= 0; part--)
            {
                scatter(actual, part, parts);
            }

            Assert.Equal(expected, actual);
        }
    }
}
