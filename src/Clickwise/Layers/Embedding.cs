using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>
/// Field-wise embedding lookup from one shared table whose rows are the global feature ids
/// (<see cref="Features.FeatureLayout"/>): out[b, f, :] = table[ids[b, f], :] · values[b, f].
/// Scaling by the value is how numeric fields (one row per field, scaled by the value) and one-hot fields
/// (value 1) share one code path, as in the DeepFwFM reference code's Xv.
/// </summary>
public static class Embedding
{
    /// <param name="table">[V, D] embedding rows.</param>
    /// <param name="ids">[B, F] global row ids.</param>
    /// <param name="values">[B, F] scales; ignored (treated as 1) when <paramref name="hasValues"/> is false.</param>
    /// <param name="output">[B, F, D].</param>
    public static void Forward(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, bool hasValues,
                               int batchSize, int fieldCount, int dim, Span<float> output)
    {
        int n = batchSize * fieldCount;
        // Row split for data parallelism belongs here: each core gathers its own [b0, b1) range.
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = table.Slice(ids[i] * dim, dim);
            Span<float> dst = output.Slice(i * dim, dim);
            if (hasValues)
            {
                TensorPrimitives.Multiply(row, values[i], dst);
            }
            else
            {
                row.CopyTo(dst);
            }
        }
    }

    /// <summary>
    /// Scatter-adds dOutput into the touched rows of <paramref name="tableGrad"/>; when <paramref name="dValues"/>
    /// is not empty also accumulates ∂L/∂values[b, f] = ⟨dOutput[b, f, :], table[ids[b, f], :]⟩.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, bool hasValues,
                                ReadOnlySpan<float> dOutput, int batchSize, int fieldCount, int dim,
                                RowGradient tableGrad, Span<float> dValues)
    {
        int n = batchSize * fieldCount;
        // Not split across cores: two rows of the batch may share an id, so the scatter needs ownership by row.
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> g = dOutput.Slice(i * dim, dim);
            Span<float> dst = tableGrad.Row(ids[i]);
            float x = hasValues ? values[i] : 1f;
            for (int d = 0; d < dim; d++)
            {
                dst[d] += g[d] * x;
            }

            if (!dValues.IsEmpty)
            {
                ReadOnlySpan<float> row = table.Slice(ids[i] * dim, dim);
                float s = 0f;
                for (int d = 0; d < dim; d++)
                {
                    s += g[d] * row[d];
                }

                dValues[i] += s;
            }
        }
    }
}
