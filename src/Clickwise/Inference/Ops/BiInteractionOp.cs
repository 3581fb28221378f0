using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>Writes NFM's bi-interaction vector ½((Σ_f e)² − Σ_f e²) [B, D] to the tape, for the DNN that follows.</summary>
internal sealed class BiInteractionOp(int fieldCount, int dim, int embeddingOffset, int sumOffset, int outputOffset) : IInferenceOp, IOnnxExportable
{
    public long ParameterCount => 0;

    public long Bytes => 0;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int width = fieldCount * dim;
        ReadOnlySpan<float> emb = tape.Region(embeddingOffset, width, batchSize);
        Span<float> sums = tape.Region(sumOffset, dim, batchSize);
        Span<float> outputs = tape.Region(outputOffset, dim, batchSize);
        for (int b = rowStart; b < rowEnd; b++)
        {
            ReadOnlySpan<float> e = emb.Slice(b * width, width);
            Span<float> sum = sums.Slice(b * dim, dim);
            Span<float> output = outputs.Slice(b * dim, dim); // holds Σ_f e² until the last line
            sum.Clear();
            output.Clear();
            for (int f = 0; f < fieldCount; f++)
            {
                ReadOnlySpan<float> row = e.Slice(f * dim, dim);
                TensorPrimitives.Add(sum, row, sum);
                TensorPrimitives.MultiplyAdd(row, row, output, output);
            }

            TensorPrimitives.Multiply(sum, sum, sum);
            TensorPrimitives.Subtract(sum, output, output);
            TensorPrimitives.Multiply(output, 0.5f, output);
        }
    }

    public void Export(OnnxGraph graph)
    {
        string embeddings = graph.Reshape(graph.Read(embeddingOffset, fieldCount * dim), -1, fieldCount, dim);
        graph.Write(outputOffset, dim, graph.Reshape(graph.BiInteraction(embeddings), -1, dim));
    }

    public string Describe() => $"bi-interaction F={fieldCount} D={dim}";
}
