using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// FM second-order term (Rendle 2010) by the sum-square trick:
/// y[b] = ½ Σ_d ((Σ_f e[b,f,d])² − Σ_f e[b,f,d]²), which equals Σ_{i&lt;j} ⟨e_i, e_j⟩ in O(F·D).
/// The embeddings are already scaled by the feature values, so this is the seed's Σ x_i x_j ⟨e_i, e_j⟩.
/// The math is the registry's <see cref="IFMKernel"/>, the one the inference op calls too.
/// </summary>
public static class FMInteraction
{
    /// <param name="embeddings">[B, F, D].</param>
    /// <param name="sum">[B, D], Σ_f e[b, f, :]; kept for backward.</param>
    /// <param name="output">[B].</param>
    public static void Forward(ReadOnlySpan<float> embeddings, int batchSize, int fieldCount, int dim,
                               Span<float> sum, Span<float> output) =>
        KernelRegistry.FM.Forward(embeddings[..(batchSize * fieldCount * dim)], batchSize, fieldCount, dim,
            sum[..(batchSize * dim)], output[..batchSize]);

    /// <summary>∂y/∂e[b,f,d] = sum[b,d] − e[b,f,d]; accumulated into <paramref name="dEmbeddings"/>.</summary>
    public static void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> sum, ReadOnlySpan<float> dOutput,
                                int batchSize, int fieldCount, int dim, Span<float> dEmbeddings) =>
        KernelRegistry.FM.Backward(embeddings[..(batchSize * fieldCount * dim)], sum[..(batchSize * dim)],
            dOutput[..batchSize], batchSize, fieldCount, dim, dEmbeddings[..(batchSize * fieldCount * dim)]);
}
