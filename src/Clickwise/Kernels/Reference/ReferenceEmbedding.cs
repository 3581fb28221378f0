namespace Clickwise.Kernels.Reference;

/// <summary>Element-by-element loops: the specification of <see cref="IEmbeddingKernel"/>.</summary>
public sealed class ReferenceEmbedding : IEmbeddingKernel
{
    public string Name => "embedding-reference";

    public void Gather(ReadOnlySpan<float> table, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                       Span<float> output)
    {
        KernelChecks.Embedding(table.Length, dim, ids, values, output.Length);
        for (int n = 0; n < ids.Length; n++)
        {
            float scale = values.IsEmpty ? 1f : values[n];
            for (int d = 0; d < dim; d++)
            {
                output[n * dim + d] = table[ids[n] * dim + d] * scale;
            }
        }
    }

    public void Scatter(ReadOnlySpan<float> dOutput, int dim, ReadOnlySpan<int> slots, ReadOnlySpan<float> values,
                        Span<float> dRows, int part, int partCount)
    {
        KernelChecks.Scatter(dOutput.Length, dim, slots, values, part, partCount);
        int rowCount = dRows.Length / dim;
        for (int n = 0; n < slots.Length; n++)
        {
            if (!SlotOwnership.Owns(slots[n], part, partCount))
            {
                continue;
            }

            KernelChecks.Slot(slots[n], rowCount);
            float scale = values.IsEmpty ? 1f : values[n];
            for (int d = 0; d < dim; d++)
            {
                dRows[slots[n] * dim + d] += dOutput[n * dim + d] * scale;
            }
        }
    }
}
