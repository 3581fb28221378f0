using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// Writes OPNN's H outer-product signals sᵀ·W_n·s (s = Σ_f e_f, kernels W [D, H, D]) into columns
/// [column, column + H) of a [B, width] region. Per row, t = s·W is D multiply-adds over contiguous H·D rows of W,
/// then one D-dot per kernel; scratch [B, D + H·D] holds s and t.
/// </summary>
internal sealed class OuterProductOp(float[] kernels, int fieldCount, int dim, int kernelCount, int embeddingOffset,
                                     int scratchOffset, int outputOffset, int outputWidth, int column) : IInferenceOp, IOnnxExportable
{
    public static int ScratchWidth(int dim, int kernelCount) => dim + kernelCount * dim;

    public long ParameterCount => kernels.LongLength;

    public long Bytes => kernels.LongLength * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int width = fieldCount * dim;
        int projectedWidth = kernelCount * dim;
        int scratchWidth = ScratchWidth(dim, kernelCount);
        ReadOnlySpan<float> emb = tape.Region(embeddingOffset, width, batchSize);
        Span<float> scratch = tape.Region(scratchOffset, scratchWidth, batchSize);
        Span<float> output = tape.Region(outputOffset, outputWidth, batchSize);
        for (int b = rowStart; b < rowEnd; b++)
        {
            ReadOnlySpan<float> e = emb.Slice(b * width, width);
            Span<float> s = scratch.Slice(b * scratchWidth, dim);
            Span<float> t = scratch.Slice(b * scratchWidth + dim, projectedWidth);
            s.Clear();
            for (int f = 0; f < fieldCount; f++)
            {
                TensorPrimitives.Add(s, e.Slice(f * dim, dim), s);
            }

            t.Clear();
            for (int d = 0; d < dim; d++)
            {
                TensorPrimitives.MultiplyAdd(kernels.AsSpan(d * projectedWidth, projectedWidth), s[d], t, t);
            }

            Span<float> o = output.Slice(b * outputWidth + column, kernelCount);
            for (int n = 0; n < kernelCount; n++)
            {
                o[n] = TensorPrimitives.Dot(t.Slice(n * dim, dim), s);
            }
        }
    }

    /// <summary>s = Σ_f e_f [N, D]; t = s·W as [N, H, D]; signal n = ⟨t_n, s⟩.</summary>
    public void Export(OnnxGraph graph)
    {
        string s = graph.Reshape(graph.ReduceSum(graph.Reshape(graph.Read(embeddingOffset, fieldCount * dim), -1, fieldCount, dim), 1), -1, dim);
        string t = graph.Reshape(graph.Node("MatMul", [s, graph.Weight("outer_kernels", kernels, dim, kernelCount * dim)]), -1, kernelCount, dim);
        string signals = graph.ReduceSum(graph.Node("Mul", [t, graph.Node("Unsqueeze", [s, graph.Int64s(1)])]), 2);
        graph.Write(outputOffset + column, kernelCount, graph.Reshape(signals, -1, kernelCount));
    }

    public string Describe() => $"outer products F={fieldCount} D={dim} H={kernelCount}";
}
