using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>
/// All pairwise inner products: out[b, p(i,j)] = ⟨e[b,i], e[b,j]⟩ for i &lt; j, in <see cref="FieldPairs"/> order.
/// IPNN concatenates them with the embeddings as the product layer's input to the DNN.
/// </summary>
/// <remarks>
/// IPNN (Qu et al., "Product-based Neural Networks for User Response Prediction", ICDM 2016; DeepFM paper seed 003
/// §III, the inner-product PNN): p_ij = ⟨v_i, v_j⟩. The products are fed unreduced (the full P signals, as FuxiCTR
/// and DeepCTR do) rather than through the paper's rank-1 θ decomposition.
/// </remarks>
public static class InnerProduct
{
    /// <param name="embeddings">[B, F, D].</param>
    /// <param name="output">[B, P].</param>
    public static void Forward(ReadOnlySpan<float> embeddings, int batchSize, int fieldCount, int dim, Span<float> output)
    {
        int pairs = FieldPairs.Count(fieldCount);
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> rowEmb = embeddings.Slice(b * fieldCount * dim, fieldCount * dim);
            Span<float> o = output.Slice(b * pairs, pairs);
            int p = 0;
            for (int i = 0; i < fieldCount; i++)
            {
                ReadOnlySpan<float> ei = rowEmb.Slice(i * dim, dim);
                for (int j = i + 1; j < fieldCount; j++, p++)
                {
                    o[p] = TensorPrimitives.Dot(ei, rowEmb.Slice(j * dim, dim));
                }
            }
        }
    }

    /// <summary>∂out_ij/∂e_i = e_j and ∂out_ij/∂e_j = e_i; accumulated into <paramref name="dEmbeddings"/>.</summary>
    /// <param name="dOutput">[B, P].</param>
    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    public static void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> dOutput,
                                int batchSize, int fieldCount, int dim, Span<float> dEmbeddings)
    {
        int pairs = FieldPairs.Count(fieldCount);
        for (int b = 0; b < batchSize; b++)
        {
            int start = b * fieldCount * dim;
            ReadOnlySpan<float> g = dOutput.Slice(b * pairs, pairs);
            int p = 0;
            for (int i = 0; i < fieldCount; i++)
            {
                ReadOnlySpan<float> ei = embeddings.Slice(start + i * dim, dim);
                Span<float> dEi = dEmbeddings.Slice(start + i * dim, dim);
                for (int j = i + 1; j < fieldCount; j++, p++)
                {
                    ReadOnlySpan<float> ej = embeddings.Slice(start + j * dim, dim);
                    Span<float> dEj = dEmbeddings.Slice(start + j * dim, dim);
                    TensorPrimitives.MultiplyAdd(ej, g[p], dEi, dEi);
                    TensorPrimitives.MultiplyAdd(ei, g[p], dEj, dEj);
                }
            }
        }
    }
}
