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
    public void ReferenceGathersScaledRowsAndScattersSums()
    {
        float[] table = [1, 2, 3, 4, 5, 6]; // 3 rows of D = 2
        float[] output = new float[6];
        var reference = KernelRegistry.AllEmbedding[0];
        reference.Gather(table, 2, [2, 0, 2], [1f, 0.5f, 2f], output);
        Assert.Equal([5f, 6f, 0.5f, 1f, 10f, 12f], output);

        var gradient = new RowGradient(3, 2, 3);
        reference.Scatter([1, 1, 2, 2, 3, 3], 2, [2, 0, 2], [1f, 0.5f, 2f], gradient);
        Assert.Equal(2, gradient.Count);
        Assert.Equal([7f, 7f], gradient.Row(2).ToArray()); // 1·1 + 3·2
        Assert.Equal([1f, 1f], gradient.Row(0).ToArray());
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
            var expectedGradient = new RowGradient(rows, dim, slots);
            var actualGradient = new RowGradient(rows, dim, slots);
            reference.Scatter(dOutput, dim, ids, values, expectedGradient);
            kernel.Scatter(dOutput, dim, ids, values, actualGradient);
            Assert.Equal(expectedGradient.Count, actualGradient.Count);
            Assert.Equal(expectedGradient.Rows.AsSpan(0, expectedGradient.Count).ToArray(),
                         actualGradient.Rows.AsSpan(0, actualGradient.Count).ToArray());
            KernelData.AssertClose(expectedGradient.Values.AsSpan(0, expectedGradient.Count * dim),
                                   actualGradient.Values.AsSpan(0, actualGradient.Count * dim), 1e-6, 1e-6,
                                   $"{name} scatter dim={dim}");
        }
    }

    [Fact]
    public void EveryVariantRejectsIdsOutsideTheTable()
    {
        foreach (IEmbeddingKernel kernel in KernelRegistry.AllEmbedding)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Gather(new float[4], 2, [2], [], new float[2]));
        }
    }
}
