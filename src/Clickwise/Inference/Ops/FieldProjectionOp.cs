using Clickwise.Interchange;
using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Inference.Ops;

/// <summary>AFM's projected embeddings: [B, F, k] compressed rows into [B, F, t] (<see cref="FieldProjection"/>).</summary>
internal sealed class FieldProjectionOp(float[] weight, float[] bias, int fieldCount, int rank, int dim, int inputOffset, int outputOffset)
    : IInferenceOp, IOnnxExportable
{
    public long ParameterCount => weight.Length + bias.Length;

    public long Bytes => 4 * ParameterCount;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int n = rowEnd - rowStart;
        ReadOnlySpan<float> compressed = tape.Region(inputOffset, fieldCount * rank, batchSize).Slice(rowStart * fieldCount * rank, n * fieldCount * rank);
        Span<float> output = tape.Region(outputOffset, fieldCount * dim, batchSize).Slice(rowStart * fieldCount * dim, n * fieldCount * dim);
        FieldProjection.Forward(compressed, weight, bias, n, fieldCount, rank, dim, output);
    }

    /// <summary>Per field f: [N, k]·W_f [k, t] as one batched MatMul over fields first, then b [F, t] broadcast.</summary>
    public void Export(OnnxGraph graph)
    {
        string byField = graph.Node("Transpose", [graph.Reshape(graph.Read(inputOffset, fieldCount * rank), -1, fieldCount, rank)], null,
            OnnxAttribute.Of("perm", 1L, 0L, 2L));
        string projected = graph.Node("MatMul", [byField, graph.Weight("projection", weight, fieldCount, rank, dim)]);
        string rows = graph.Node("Transpose", [projected], null, OnnxAttribute.Of("perm", 1L, 0L, 2L));
        string output = graph.Node("Add", [rows, graph.Weight("projection_bias", bias, fieldCount, dim)]);
        graph.Write(outputOffset, fieldCount * dim, graph.Reshape(output, -1, fieldCount * dim));
    }

    public string Describe() => $"field-projection F={fieldCount} k={rank} → D={dim}";
}
