using Clickwise.Layers;

namespace Clickwise.Kernels;

/// <summary>
/// Embedding lookup over flattened (batch, field) slots: N = B·F ids, table [rows, D], output [N, D].
/// </summary>
public interface IEmbeddingKernel
{
    string Name { get; }

    /// <summary>output[n, :] = table[ids[n], :] · values[n] (values empty means 1).</summary>
    void Gather(ReadOnlySpan<float> table, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                Span<float> output);

    /// <summary>dTable[ids[n], :] += dOutput[n, :] · values[n] (values empty means 1), row-sparse.</summary>
    void Scatter(ReadOnlySpan<float> dOutput, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                 RowGradient dTable);
}
