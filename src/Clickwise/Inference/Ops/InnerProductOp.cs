using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>Writes the P pairwise inner products ⟨e_i, e_j⟩ (FieldPairs order) into columns [column, column + P) of a [B, width] region.</summary>
internal sealed class InnerProductOp(int fieldCount, int dim, int embeddingOffset, int outputOffset, int outputWidth, int column)
    : IInferenceOp, IOnnxExportable
{
    public long ParameterCount => 0;

    public long Bytes => 0;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int width = fieldCount * dim;
        ReadOnlySpan<float> emb = tape.Region(embeddingOffset, width, batchSize);
        Span<float> output = tape.Region(outputOffset, outputWidth, batchSize);
        for (int b = rowStart; b < rowEnd; b++)
        {
            ReadOnlySpan<float> e = emb.Slice(b * width, width);
            Span<float> o = output.Slice(b * outputWidth + column);
            int p = 0;
            for (int i = 0; i < fieldCount; i++)
            {
                ReadOnlySpan<float> ei = e.Slice(i * dim, dim);
                for (int j = i + 1; j < fieldCount; j++, p++)
                {
                    o[p] = TensorPrimitives.Dot(ei, e.Slice(j * dim, dim));
                }
            }
        }
    }

    public void Export(OnnxGraph graph)
    {
        string e = graph.Reshape(graph.Read(embeddingOffset, fieldCount * dim), -1, fieldCount, dim);
        string gram = graph.Reshape(graph.Node("MatMul", [e, graph.Node("Transpose", [e], null, OnnxAttribute.Of("perm", 0L, 2L, 1L))]),
            -1, fieldCount * fieldCount);
        long[] pairs = [.. Enumerable.Range(0, fieldCount).SelectMany(i => Enumerable.Range(i + 1, fieldCount - i - 1).Select(j => (long)(i * fieldCount + j)))];
        graph.Write(outputOffset + column, pairs.Length, graph.Node("Gather", [gram, graph.Int64s(pairs)], null, OnnxAttribute.Of("axis", 1L)));
    }

    public string Describe() => $"inner products F={fieldCount} D={dim}";
}
