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
    public void MatchesReferenceForDims1To257WithAndWithoutValues(string name)
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

            float[] expected = new float[slots * dim];
            float[] actual = KernelData.Random(slots * dim, dim + 2);
            reference.Gather(table, dim, ids, values, expected);
            kernel.Gather(table, dim, ids, values, actual);
            Assert.Equal(expected, actual);

            float[] dOutput = KernelData.Random(slots * dim, dim + 3);
            var gradient = new RowGradient(rows, dim, slots);
            int[] slotOfLookup = new int[slots];
            gradient.Register(ids, slotOfLookup);
            float[] before = KernelData.Random(gradient.Count * dim, dim + 4);
            float[] expectedRows = [.. before];
            reference.Scatter(dOutput, dim, slotOfLookup, values, expectedRows, 0, 1);
            foreach (int parts in (int[])[1, 2, 3])
            {
                float[] actualRows = [.. before];
                for (int part = parts - 1; part >= 0; part--)
                {
                    kernel.Scatter(dOutput, dim, slotOfLookup, values, actualRows, part, parts);
                }

                Assert.Equal(expectedRows, actualRows); // multiply then add in lookup order: the reference's bits
            }
        }
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
}
