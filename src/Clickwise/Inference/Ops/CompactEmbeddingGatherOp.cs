namespace Clickwise.Inference.Ops;

/// <summary>Gathers [B, F, D] embeddings from a pruned table stored compactly (<see cref="CompactEmbeddingTable"/>).</summary>
internal sealed class CompactEmbeddingGatherOp(CompactEmbeddingTable table, int fieldCount, int outputOffset) : IInferenceOp
{
    public long ParameterCount => table.NonZeroCount;

    public long Bytes => table.Bytes;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, int rowStart, int rowEnd,
                        Span<float> logits)
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
    }

    public string Describe() => $"compact embedding gather F={fieldCount} D={table.Dim} rows={table.RowCount} nnz={table.NonZeroCount}";
}
