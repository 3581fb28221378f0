using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Inference.Ops;

/// <summary>AFM's projected embeddings: [B, F, k] compressed rows into [B, F, t] (<see cref="FieldProjection"/>).</summary>
internal sealed class FieldProjectionOp(float[] weight, float[] bias, int fieldCount, int rank, int dim, int inputOffset, int outputOffset)
    : IInferenceOp
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

    public string Describe() => $"field-projection F={fieldCount} k={rank} → D={dim}";
}
