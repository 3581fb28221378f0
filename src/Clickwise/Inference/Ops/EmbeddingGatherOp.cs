using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>Gathers [B, F, D] embeddings (scaled by the feature values, multi-hot fields pooled) into the tape through the
/// registry's kernel, the one the training layer (<see cref="Layers.Embedding"/>) calls.</summary>
internal sealed class EmbeddingGatherOp(float[] table, int fieldCount, int dim, int outputOffset) : IInferenceOp, IOnnxExportable
{
    public long ParameterCount => table.LongLength;

    public long Bytes => table.LongLength * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int start = rowStart * fieldCount, count = (rowEnd - rowStart) * fieldCount;
        Span<float> output = tape.Region(outputOffset, fieldCount * dim, batchSize);
        KernelRegistry.Embedding.Gather(table, dim, ids.Slice(start, count), values.IsEmpty ? default : values.Slice(start, count),
            output.Slice(start * dim, count * dim));
        if (!extras.IsEmpty)
        {
            KernelRegistry.Embedding.GatherExtra(table, dim, extras.Slice(start, count), output.Slice(start * dim, count * dim));
        }
    }

    public void Export(OnnxGraph graph) =>
        graph.Write(outputOffset, fieldCount * dim, graph.Reshape(graph.Lookup("embedding", table, dim), -1, fieldCount * dim));

    public string Describe() => $"embedding gather F={fieldCount} D={dim} rows={table.Length / dim}";
}
