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

    public void GatherExtra(ReadOnlySpan<float> table, int dim, ExtraLookups extras, Span<float> output)
    {
        KernelChecks.GatherExtra(table.Length, dim, extras, output.Length);
        for (int n = 0; n + 1 < extras.Offsets.Length; n++)
        {
            for (int e = extras.Offsets[n]; e < extras.Offsets[n + 1]; e++)
            {
                for (int d = 0; d < dim; d++)
                {
                    output[n * dim + d] += table[extras.Ids[e] * dim + d] * extras.Values[e];
                }
            }
        }
    }

    public void ScatterExtra(ReadOnlySpan<float> dOutput, int dim, ExtraLookups extras, ReadOnlySpan<int> slots,
                             Span<float> dRows, int part, int partCount)
    {
        KernelChecks.ScatterExtra(dOutput.Length, dim, extras, slots, part, partCount);
        int rowCount = dRows.Length / dim;
        for (int n = 0; n + 1 < extras.Offsets.Length; n++)
        {
            for (int e = extras.Offsets[n]; e < extras.Offsets[n + 1]; e++)
            {
                if (!SlotOwnership.Owns(slots[e], part, partCount))
                {
                    continue;
                }

                KernelChecks.Slot(slots[e], rowCount);
                for (int d = 0; d < dim; d++)
                {
                    dRows[slots[e] * dim + d] += dOutput[n * dim + d] * extras.Values[e];
                }
            }
        }
    }
}
