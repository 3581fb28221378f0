using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// FwFM pairwise term (Pan et al. 2018; DeepLight eq. 6): y[b] = Σ_{i&lt;j} r_(i,j) ⟨e[b,i], e[b,j]⟩.
/// R is symmetric with a zero diagonal, so only its upper triangle is stored, as P = F(F−1)/2 pair weights in
/// <see cref="FieldPairs"/> order; r_(i,j) plays the role of the reference code's symmetrised (R + Rᵀ)/2, and
/// pruning R (DeepLight) becomes a mask over P entries with no symmetry bookkeeping.
/// </summary>
/// <remarks>
/// The arithmetic is the registry's <see cref="IFwFMKernel"/>, which takes R as an [F, F] matrix read above the
/// diagonal (<see cref="Expand"/>). The layer works on any row range, so a model can split a batch over cores;
/// the pair-weight gradient of a range goes to a caller-owned [F, F] partial, which the caller folds into the P
/// weights (<see cref="FoldPairGradient"/>) in a fixed order.
/// </remarks>
public static class FwFMInteraction
{
    /// <param name="embeddings">[B, F, D].</param>
    /// <param name="pairMatrix">[F, F] from <see cref="Expand"/>.</param>
    /// <param name="output">[B].</param>
    public static void Forward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> pairMatrix,
                               int batchSize, int fieldCount, int dim, Span<float> output) =>
        KernelRegistry.FwFM.Forward(embeddings, pairMatrix, batchSize, fieldCount, dim, output);

    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    /// <param name="pairGradient">[F, F], accumulated above the diagonal.</param>
    public static void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> pairMatrix, ReadOnlySpan<float> dOutput,
                                int batchSize, int fieldCount, int dim, Span<float> dEmbeddings, Span<float> pairGradient) =>
        KernelRegistry.FwFM.Backward(embeddings, pairMatrix, dOutput, batchSize, fieldCount, dim, dEmbeddings, pairGradient);

    /// <summary>Writes the P pair weights above the diagonal of the [F, F] matrix, zeros elsewhere.</summary>
    public static void Expand(ReadOnlySpan<float> pairWeights, int fieldCount, Span<float> pairMatrix)
    {
        pairMatrix[..(fieldCount * fieldCount)].Clear();
        int p = 0;
        for (int i = 0; i < fieldCount; i++)
        {
            for (int j = i + 1; j < fieldCount; j++, p++)
            {
                pairMatrix[i * fieldCount + j] = pairWeights[p];
            }
        }
    }

    /// <summary>dPairWeights [P] += the entries above the diagonal of an [F, F] gradient.</summary>
    public static void FoldPairGradient(ReadOnlySpan<float> pairGradient, int fieldCount, Span<float> dPairWeights)
    {
        int p = 0;
        for (int i = 0; i < fieldCount; i++)
        {
            for (int j = i + 1; j < fieldCount; j++, p++)
            {
                dPairWeights[p] += pairGradient[i * fieldCount + j];
            }
        }
    }
}
