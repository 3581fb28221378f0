namespace Clickwise.Kernels;

/// <summary>
/// FM second-order term (Rendle 2010) in the sum-square form. emb: [B, F, D]; sum: [B, D]; y: [B].
/// y[b] = ½ Σ_d (sum[b,d]² − Σ_f emb[b,f,d]²) with sum[b,:] = Σ_f emb[b,f,:].
/// </summary>
public interface IFMKernel
{
    string Name { get; }

    /// <summary>Writes <paramref name="sum"/> (kept for backward) and <paramref name="y"/>.</summary>
    void Forward(ReadOnlySpan<float> emb, int batchSize, int fieldCount, int dim, Span<float> sum, Span<float> y);

    /// <summary>dEmb[b,f,:] += dY[b]·(sum[b,:] − emb[b,f,:]).</summary>
    void Backward(ReadOnlySpan<float> emb, ReadOnlySpan<float> sum, ReadOnlySpan<float> dY,
                  int batchSize, int fieldCount, int dim, Span<float> dEmb);
}
