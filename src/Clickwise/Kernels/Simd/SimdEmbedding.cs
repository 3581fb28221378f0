using System.Numerics.Tensors;
using Clickwise.Layers;

namespace Clickwise.Kernels.Simd;

/// <summary>Gather and scatter-add one row at a time through <see cref="TensorPrimitives"/>.</summary>
public sealed class SimdEmbedding : IEmbeddingKernel
{
    public string Name => "embedding-simd";

    public void Gather(ReadOnlySpan<float> table, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                       Span<float> output)
    {
        KernelChecks.Embedding(table.Length, dim, ids, values, output.Length);
        for (int n = 0; n < ids.Length; n++)
        {
            ReadOnlySpan<float> source = table.Slice(ids[n] * dim, dim);
            Span<float> target = output.Slice(n * dim, dim);
            if (values.IsEmpty)
            {
                source.CopyTo(target);
            }
            else
            {
                TensorPrimitives.Multiply(source, values[n], target);
            }
        }
    }

    public void Scatter(ReadOnlySpan<float> dOutput, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                        RowGradient dTable)
    {
        KernelChecks.Scatter(dOutput.Length, dim, ids, values, dTable);
        for (int n = 0; n < ids.Length; n++)
        {
            Span<float> row = dTable.Row(ids[n]);
            ReadOnlySpan<float> gradient = dOutput.Slice(n * dim, dim);
            if (values.IsEmpty)
            {
                TensorPrimitives.Add(row, gradient, row);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(gradient, values[n], row, row);
            }
        }
    }
}
