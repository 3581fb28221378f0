using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>Adds the FM second-order term ½ Σ_d ((Σ_f e)² − Σ_f e²) to the logits, through the registry's kernel
/// (the one the training layer <see cref="Layers.FMInteraction"/> calls).</summary>
internal sealed class FMOp(int fieldCount, int dim, int embeddingOffset, int sumOffset) : IInferenceOp, IOnnxExportable
{
    private const int Chunk = 256;

    public long ParameterCount => 0;

    public long Bytes => 0;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int width = fieldCount * dim;
        ReadOnlySpan<float> emb = tape.Region(embeddingOffset, width, batchSize);
        Span<float> sums = tape.Region(sumOffset, dim, batchSize);
        Span<float> y = stackalloc float[Math.Min(Chunk, rowEnd - rowStart)];
        for (int b = rowStart; b < rowEnd; b += Chunk)
        {
            int n = Math.Min(Chunk, rowEnd - b);
            KernelRegistry.FM.Forward(emb.Slice(b * width, n * width), n, fieldCount, dim, sums.Slice(b * dim, n * dim), y[..n]);
            TensorPrimitives.Add(logits.Slice(b, n), y[..n], logits.Slice(b, n));
        }
    }

    public void Export(OnnxGraph graph)
    {
        string embeddings = graph.Reshape(graph.Read(embeddingOffset, fieldCount * dim), -1, fieldCount, dim);
        graph.AddToLogits(graph.Reshape(graph.ReduceSum(graph.BiInteraction(embeddings), 2), -1, 1));
    }

    public string Describe() => $"fm F={fieldCount} D={dim}";
}
