namespace Clickwise.Kernels;

/// <summary>
/// FwFM pairwise term (Pan et al. 2018): y[b] = Σ_{i&lt;j} R[i,j]·⟨e_i, e_j⟩. emb: [B, F, D]; pairWeight R: [F, F],
/// of which only the upper triangle (i &lt; j) is read or written; the layer owns the symmetry.
/// </summary>
public interface IFwFMKernel
{
    string Name { get; }

    /// <summary>Writes <paramref name="y"/> [B].</summary>
    void Forward(ReadOnlySpan<float> emb, ReadOnlySpan<float> pairWeight, int batchSize, int fieldCount, int dim,
                 Span<float> y);

    /// <summary>
    /// dEmb[b,i,:] += dY[b]·Σ_{j≠i} R[min,max]·e_j and dPairWeight[i,j] += Σ_b dY[b]·⟨e_i, e_j⟩ for i &lt; j (accumulated;
    /// the lower triangle and diagonal of dPairWeight are left untouched).
    /// </summary>
    void Backward(ReadOnlySpan<float> emb, ReadOnlySpan<float> pairWeight, ReadOnlySpan<float> dY,
                  int batchSize, int fieldCount, int dim, Span<float> dEmb, Span<float> dPairWeight);
}
