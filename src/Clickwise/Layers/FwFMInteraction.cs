namespace Clickwise.Layers;

/// <summary>
/// FwFM pairwise term (Pan et al. 2018; DeepLight eq. 6): y[b] = Σ_{i&lt;j} r_(i,j) ⟨e[b,i], e[b,j]⟩.
/// R is symmetric with a zero diagonal, so only its upper triangle is stored, as P = F(F−1)/2 pair weights in
/// <see cref="FieldPairs"/> order; r_(i,j) plays the role of the reference code's symmetrised (R + Rᵀ)/2, and
/// pruning R (DeepLight) becomes a mask over P entries with no symmetry bookkeeping.
/// </summary>
/// <remarks>
/// Computed as GEMMs over the whole batch rather than a per-sample pair loop, so the O(B·F²·D) work runs on the
/// multi-threaded GEMM kernel. With E' = the embeddings field-major [F, B·D] and S = the full symmetric R [F, F]:
/// forward M' = S·E' and y[b] = ½ Σ_{i,d} E'[i, bD+d]·M'[i, bD+d]; backward dE[b,i,:] += dY[b]·M'[i, b·D..];
/// dR_full = (E' scaled by dY per sample)·E'ᵀ and dr_(i,j) = dR_full[i, j].
/// Scratch spans are caller-owned (planned for the maximum batch); fieldMajor and mixed must survive until
/// backward.
/// </remarks>
public static class FwFMInteraction
{
    /// <param name="embeddings">[B, F, D].</param>
    /// <param name="pairWeights">[P].</param>
    /// <param name="symmetric">[F, F] scratch: R expanded with a zero diagonal.</param>
    /// <param name="fieldMajor">[F, B·D] scratch kept for backward: the embeddings transposed.</param>
    /// <param name="mixed">[F, B·D] scratch kept for backward: S·E'.</param>
    /// <param name="output">[B].</param>
    public static void Forward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> pairWeights,
                               int batchSize, int fieldCount, int dim,
                               Span<float> symmetric, Span<float> fieldMajor, Span<float> mixed, Span<float> output)
    {
        int width = batchSize * dim;
        Expand(pairWeights, fieldCount, symmetric);
        ToFieldMajor(embeddings, batchSize, fieldCount, dim, fieldMajor);
        Gemms.Active.Multiply(symmetric, fieldMajor, mixed, fieldCount, width, fieldCount,
            transA: false, transB: false, accumulate: false);

        // Row split for data parallelism belongs here (each core its own range of b).
        for (int b = 0; b < batchSize; b++)
        {
            float y = 0f;
            for (int i = 0; i < fieldCount; i++)
            {
                int o = i * width + b * dim;
                for (int d = 0; d < dim; d++)
                {
                    y += fieldMajor[o + d] * mixed[o + d];
                }
            }

            output[b] = 0.5f * y;
        }
    }

    /// <param name="fieldMajor">From the forward pass.</param>
    /// <param name="mixed">From the forward pass.</param>
    /// <param name="scaled">[F, B·D] scratch.</param>
    /// <param name="pairGrad">[F, F] scratch.</param>
    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    /// <param name="dPairWeights">[P], accumulated.</param>
    public static void Backward(ReadOnlySpan<float> fieldMajor, ReadOnlySpan<float> mixed, ReadOnlySpan<float> dOutput,
                                int batchSize, int fieldCount, int dim,
                                Span<float> scaled, Span<float> pairGrad, Span<float> dEmbeddings, Span<float> dPairWeights)
    {
        int width = batchSize * dim;
        for (int i = 0; i < fieldCount; i++)
        {
            for (int b = 0; b < batchSize; b++)
            {
                float g = dOutput[b];
                int fm = i * width + b * dim;
                int be = (b * fieldCount + i) * dim;
                for (int d = 0; d < dim; d++)
                {
                    dEmbeddings[be + d] += g * mixed[fm + d];
                    scaled[fm + d] = g * fieldMajor[fm + d];
                }
            }
        }

        // dR_full = scaled·E'ᵀ; E' is stored [F, B·D] = [n, k] of this product, hence transB.
        Gemms.Active.Multiply(scaled, fieldMajor, pairGrad, fieldCount, fieldCount, width,
            transA: false, transB: true, accumulate: false);
        int p = 0;
        for (int i = 0; i < fieldCount; i++)
        {
            for (int j = i + 1; j < fieldCount; j++, p++)
            {
                dPairWeights[p] += pairGrad[i * fieldCount + j];
            }
        }
    }

    /// <summary>Expands the P pair weights into the full symmetric [F, F] matrix with a zero diagonal.</summary>
    public static void Expand(ReadOnlySpan<float> pairWeights, int fieldCount, Span<float> symmetric)
    {
        int p = 0;
        for (int i = 0; i < fieldCount; i++)
        {
            symmetric[i * fieldCount + i] = 0f;
            for (int j = i + 1; j < fieldCount; j++, p++)
            {
                symmetric[i * fieldCount + j] = pairWeights[p];
                symmetric[j * fieldCount + i] = pairWeights[p];
            }
        }
    }

    /// <summary>[B, F, D] → [F, B·D].</summary>
    private static void ToFieldMajor(ReadOnlySpan<float> embeddings, int batchSize, int fieldCount, int dim, Span<float> fieldMajor)
    {
        int width = batchSize * dim;
        for (int b = 0; b < batchSize; b++)
        {
            for (int i = 0; i < fieldCount; i++)
            {
                embeddings.Slice((b * fieldCount + i) * dim, dim).CopyTo(fieldMajor.Slice(i * width + b * dim, dim));
            }
        }
    }
}
