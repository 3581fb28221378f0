using System.Numerics.Tensors;

namespace Clickwise.Inference.Ops;

/// <summary>Adds the FM second-order term ½ Σ_d ((Σ_f e)² − Σ_f e²) to the logits.</summary>
internal sealed class FMOp(int fieldCount, int dim, int embeddingOffset, int sumOffset) : IInferenceOp
{
    public long ParameterCount => 0;

    public long Bytes => 0;

    public void Run(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, Span<float> logits)
    {
        ReadOnlySpan<float> emb = tape.Region(embeddingOffset, fieldCount * dim, batchSize);
        Span<float> sum = tape.Region(sumOffset, dim, 1);
        int width = fieldCount * dim;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> e = emb.Slice(b * width, width);
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
