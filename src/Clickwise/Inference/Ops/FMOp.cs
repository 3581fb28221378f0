using System.Numerics.Tensors;

namespace Clickwise.Inference.Ops;

/// <summary>Adds the FM second-order term ½ Σ_d ((Σ_f e)² − Σ_f e²) to the logits.</summary>
internal sealed class FMOp(int fieldCount, int dim, int embeddingOffset, int sumOffset) : IInferenceOp
{
    public long ParameterCount => 0;

    public long Bytes => 0;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, int rowStart, int rowEnd,
                        Span<float> logits)
    {
        int width = fieldCount * dim;
        ReadOnlySpan<float> emb = tape.Region(embeddingOffset, width, batchSize);
        Span<float> sums = tape.Region(sumOffset, dim, batchSize);
        for (int b = rowStart; b < rowEnd; b++)
        {
            ReadOnlySpan<float> e = emb.Slice(b * width, width);
            Span<float> sum = sums.Slice(b * dim, dim);
            sum.Clear();
            float squares = 0f;
            for (int f = 0; f < fieldCount; f++)
            {
                ReadOnlySpan<float> row = e.Slice(f * dim, dim);
                TensorPrimitives.Add(sum, row, sum);
                squares += TensorPrimitives.Dot(row, row);
            }

            logits[b] += 0.5f * (TensorPrimitives.Dot(sum, sum) - squares);
        }
    }

    public string Describe() => $"fm F={fieldCount} D={dim}";
}
