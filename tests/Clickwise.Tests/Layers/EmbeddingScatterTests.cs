using Clickwise.Layers;
using Clickwise.Tests.Kernels;

namespace Clickwise.Tests.Layers;

public sealed class EmbeddingScatterTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnySplitOfSlotOwnershipGivesTheSameBitsAsOnePart(bool hasValues)
    {
        const int Rows = 300, Dim = 7, Lookups = 1000;
        var random = new Random(5);
        int[] ids = [.. Enumerable.Range(0, Lookups).Select(_ => random.Next(random.Next(2) == 0 ? 20 : Rows))];
        float[] values = hasValues ? KernelData.Random(Lookups, 6) : [];
        float[] dOutput = KernelData.Random(Lookups * Dim, 7);

        float[] Scatter(int parts)
        {
            var gradient = new RowGradient(Rows, Dim, Lookups);
            gradient.Row(ids[3])[0] = 0.25f; // an earlier consumer's contribution is kept, not zeroed
            int[] slots = new int[Lookups];
            gradient.Register(ids, slots);
            for (int part = parts - 1; part >= 0; part--)
            {
                Embedding.Accumulate(dOutput, slots, values, hasValues, Dim, gradient, part, parts);
            }

            return gradient.Values.AsSpan(0, gradient.Count * Dim).ToArray();
        }

        float[] one = Scatter(1);
        Assert.Equal(one, Scatter(2));
        Assert.Equal(one, Scatter(3));

        var reference = new RowGradient(Rows, Dim, Lookups);
        reference.Row(ids[3])[0] = 0.25f;
        for (int i = 0; i < Lookups; i++)
        {
            Span<float> row = reference.Row(ids[i]);
            for (int d = 0; d < Dim; d++)
            {
                row[d] += dOutput[i * Dim + d] * (hasValues ? values[i] : 1f);
            }
        }

        Assert.Equal(reference.Values.AsSpan(0, reference.Count * Dim).ToArray(), one);
    }
}
