using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// Gathers [B, F, D] embeddings (multi-hot fields pooled) from a pruned table stored compactly (<see cref="CompactEmbeddingTable"/>).
/// </summary>
internal sealed class CompactEmbeddingGatherOp(CompactEmbeddingTable table, int fieldCount, int outputOffset) : IInferenceOp
{
    public long ParameterCount => table.NonZeroCount;

    public long Bytes => table.Bytes;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int dim = table.Dim;
        Span<float> output = tape.Region(outputOffset, fieldCount * dim, batchSize);
        for (int i = rowStart * fieldCount; i < rowEnd * fieldCount; i++)
        {
            Span<float> dst = output.Slice(i * dim, dim);
            table.CopyRow(ids[i], dst);
            if (!values.IsEmpty)
            {
                float scale = values[i];
                for (int d = 0; d < dim; d++)
                {
                    dst[d] *= scale;
                }
            }
        }

        if (!extras.IsEmpty)
        {
            AddExtras(extras.Slice(rowStart * fieldCount, (rowEnd - rowStart) * fieldCount), output.Slice(rowStart * fieldCount * dim));
        }
    }

    /// <summary>Each extra feature's row times its value added onto its lookup, multiply then add as the dense kernel does.</summary>
    private void AddExtras(ExtraLookups extras, Span<float> output)
    {
        int dim = table.Dim;
        Span<float> row = stackalloc float[dim];
        for (int n = 0; n + 1 < extras.Offsets.Length; n++)
        {
            Span<float> dst = output.Slice(n * dim, dim);
            for (int e = extras.Offsets[n]; e < extras.Offsets[n + 1]; e++)
            {
                table.CopyRow(extras.Ids[e], row);
                for (int d = 0; d < dim; d++)
                {
                    dst[d] += row[d] * extras.Values[e];
                }
            }
        }
    }

    public string Describe() => $"compact embedding gather F={fieldCount} D={table.Dim} rows={table.RowCount} nnz={table.NonZeroCount}";
}
