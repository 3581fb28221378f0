using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>Adds the FwFM linear term Σ_f ⟨e_f, v_f⟩ = ⟨E, V⟩ over the flattened [F·D] row.</summary>
internal sealed class FwFMLinearOp(float[] fieldVectors, int fieldCount, int dim, int embeddingOffset) : IInferenceOp, IOnnxExportable
{
    public long ParameterCount => fieldVectors.LongLength;

    public long Bytes => fieldVectors.LongLength * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int width = fieldCount * dim;
        ReadOnlySpan<float> emb = tape.Region(embeddingOffset, width, batchSize);
        for (int b = rowStart; b < rowEnd; b++)
        {
            logits[b] += TensorPrimitives.Dot(emb.Slice(b * width, width), fieldVectors);
        }
    }

    public void Export(OnnxGraph graph) => graph.AddToLogits(graph.Dot(graph.Read(embeddingOffset, fieldCount * dim), fieldVectors));

    public string Describe() => $"fwfm linear F={fieldCount} D={dim}";
}
