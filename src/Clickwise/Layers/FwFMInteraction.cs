namespace Clickwise.Layers;

/// <summary>
/// FwFM pairwise term (Pan et al. 2018; DeepLight eq. 6): y[b] = Σ_{i&lt;j} r_(i,j) ⟨e[b,i], e[b,j]⟩.
/// R is symmetric, so only its upper triangle is stored, as P = F(F−1)/2 pair weights in
/// <see cref="FieldPairs"/> order; r_(i,j) plays the role of the reference code's symmetrised (R + Rᵀ)/2.
/// Storing pairs makes DeepLight's R pruning a mask over P entries with no symmetry bookkeeping.
/// </summary>
public static class FwFMInteraction
{
    /// <param name="embeddings">[B, F, D].</param>
    /// <param name="pairWeights">[P].</param>
    /// <param name="output">[B].</param>
    public static void Forward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> pairWeights,
                               int batchSize, int fieldCount, int dim, Span<float> output)
    {
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> rowEmb = embeddings.Slice(b * fieldCount * dim, fieldCount * dim);
            float y = 0f;
            int p = 0;
            for (int i = 0; i < fieldCount; i++)
            {
                ReadOnlySpan<float> ei = rowEmb.Slice(i * dim, dim);
                for (int j = i + 1; j < fieldCount; j++, p++)
                {
                    ReadOnlySpan<float> ej = rowEmb.Slice(j * dim, dim);
                    float dot = 0f;
                    for (int d = 0; d < dim; d++)
                    {
                        dot += ei[d] * ej[d];
                    }

                    y += pairWeights[p] * dot;
                }
            }

            output[b] = y;
        }
    }

    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    /// <param name="dPairWeights">[P], accumulated.</param>
    public static void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> pairWeights, ReadOnlySpan<float> dOutput,
                                int batchSize, int fieldCount, int dim, Span<float> dEmbeddings, Span<float> dPairWeights)
    {
        for (int b = 0; b < batchSize; b++)
        {
            float g = dOutput[b];
            int start = b * fieldCount * dim;
            ReadOnlySpan<float> rowEmb = embeddings.Slice(start, fieldCount * dim);
            Span<float> rowDEmb = dEmbeddings.Slice(start, fieldCount * dim);
            int p = 0;
            for (int i = 0; i < fieldCount; i++)
            {
                ReadOnlySpan<float> ei = rowEmb.Slice(i * dim, dim);
                Span<float> dEi = rowDEmb.Slice(i * dim, dim);
                for (int j = i + 1; j < fieldCount; j++, p++)
                {
                    ReadOnlySpan<float> ej = rowEmb.Slice(j * dim, dim);
                    Span<float> dEj = rowDEmb.Slice(j * dim, dim);
                    float gr = g * pairWeights[p];
                    float dot = 0f;
                    for (int d = 0; d < dim; d++)
                    {
                        dot += ei[d] * ej[d];
                        dEi[d] += gr * ej[d];
                        dEj[d] += gr * ei[d];
                    }

                    dPairWeights[p] += g * dot;
                }
            }
        }
    }
}
