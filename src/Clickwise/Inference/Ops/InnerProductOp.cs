using System.Numerics.Tensors;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>Writes the P pairwise inner products ⟨e_i, e_j⟩ (FieldPairs order) into columns [column, column + P) of a [B, width] region.</summary>
internal sealed class InnerProductOp(int fieldCount, int dim, int embeddingOffset, int outputOffset, int outputWidth, int column)
    : IInferenceOp
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

    public string Describe() => $"inner products F={fieldCount} D={dim}";
}
