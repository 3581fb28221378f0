using Clickwise.Layers;

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

    public void Scatter(ReadOnlySpan<float> dOutput, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                        RowGradient dTable)
    {
        KernelChecks.Scatter(dOutput.Length, dim, ids, values, dTable);
        for (int n = 0; n < ids.Length; n++)
        {
            float scale = values.IsEmpty ? 1f : values[n];
            Span<float> row = dTable.Row(ids[n]);
            for (int d = 0; d < dim; d++)
            {
                row[d] += dOutput[n * dim + d] * scale;
            }
        }
    }
}
