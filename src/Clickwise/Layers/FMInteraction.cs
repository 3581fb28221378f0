namespace Clickwise.Layers;

/// <summary>
/// FM second-order term (Rendle 2010) by the sum-square trick:
/// y[b] = ½ Σ_d ((Σ_f e[b,f,d])² − Σ_f e[b,f,d]²), which equals Σ_{i&lt;j} ⟨e_i, e_j⟩ in O(F·D).
/// The embeddings are already scaled by the feature values, so this is the seed's Σ x_i x_j ⟨e_i, e_j⟩.
/// </summary>
public static class FMInteraction
{
    /// <param name="embeddings">[B, F, D].</param>
    /// <param name="sum">[B, D], Σ_f e[b, f, :]; kept for backward.</param>
    /// <param name="output">[B].</param>
    public static void Forward(ReadOnlySpan<float> embeddings, int batchSize, int fieldCount, int dim,
                               Span<float> sum, Span<float> output)
    {
        for (int b = 0; b < batchSize; b++)
        {
            Span<float> s = sum.Slice(b * dim, dim);
            s.Clear();
            float squares = 0f;
            ReadOnlySpan<float> rowEmb = embeddings.Slice(b * fieldCount * dim, fieldCount * dim);
            for (int f = 0; f < fieldCount; f++)
            {
                ReadOnlySpan<float> e = rowEmb.Slice(f * dim, dim);
                for (int d = 0; d < dim; d++)
                {
                    s[d] += e[d];
                    squares += e[d] * e[d];
                }
            }

            float sumSquared = 0f;
            for (int d = 0; d < dim; d++)
            {
                sumSquared += s[d] * s[d];
            }

            output[b] = 0.5f * (sumSquared - squares);
        }
    }

    /// <summary>∂y/∂e[b,f,d] = sum[b,d] − e[b,f,d]; accumulated into <paramref name="dEmbeddings"/>.</summary>
    public static void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> sum, ReadOnlySpan<float> dOutput,
                                int batchSize, int fieldCount, int dim, Span<float> dEmbeddings)
    {
        for (int b = 0; b < batchSize; b++)
        {
            float g = dOutput[b];
            ReadOnlySpan<float> s = sum.Slice(b * dim, dim);
            int start = b * fieldCount * dim;
            for (int f = 0; f < fieldCount; f++)
            {
                int o = start + f * dim;
                for (int d = 0; d < dim; d++)
                {
                    dEmbeddings[o + d] += g * (s[d] - embeddings[o + d]);
                }
            }
        }
    }
}
