namespace Clickwise.Layers;

/// <summary>
/// Bi-interaction pooling: out[b,d] = ½((Σ_f e[b,f,d])² − Σ_f e[b,f,d]²) = Σ_{i&lt;j} e[b,i,d]·e[b,j,d].
/// It is FM's sum-square trick stopped before the sum over d, so the vector of pairwise products feeds a DNN.
/// </summary>
/// <remarks>NFM (He and Chua, "Neural Factorization Machines for Sparse Predictive Analytics", SIGIR 2017), eq. 3-4.</remarks>
public static class BiInteraction
{
    /// <param name="embeddings">[B, F, D].</param>
    /// <param name="sum">[B, D], Σ_f e[b, f, :]; kept for backward.</param>
    /// <param name="output">[B, D].</param>
    public static void Forward(ReadOnlySpan<float> embeddings, int batchSize, int fieldCount, int dim,
                               Span<float> sum, Span<float> output)
    {
        for (int b = 0; b < batchSize; b++)
        {
            Span<float> s = sum.Slice(b * dim, dim);
            Span<float> squares = output.Slice(b * dim, dim);
            s.Clear();
            squares.Clear();
            ReadOnlySpan<float> rowEmb = embeddings.Slice(b * fieldCount * dim, fieldCount * dim);
            for (int f = 0; f < fieldCount; f++)
            {
                ReadOnlySpan<float> e = rowEmb.Slice(f * dim, dim);
                for (int d = 0; d < dim; d++)
                {
                    s[d] += e[d];
                    squares[d] += e[d] * e[d];
                }
            }

            for (int d = 0; d < dim; d++)
            {
                squares[d] = 0.5f * (s[d] * s[d] - squares[d]);
            }
        }
    }

    /// <summary>∂out[b,d]/∂e[b,f,d] = sum[b,d] − e[b,f,d]; accumulated into <paramref name="dEmbeddings"/>.</summary>
    /// <param name="dOutput">[B, D].</param>
    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    public static void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> sum, ReadOnlySpan<float> dOutput,
                                int batchSize, int fieldCount, int dim, Span<float> dEmbeddings)
    {
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> s = sum.Slice(b * dim, dim);
            ReadOnlySpan<float> g = dOutput.Slice(b * dim, dim);
            int start = b * fieldCount * dim;
            for (int f = 0; f < fieldCount; f++)
            {
                int o = start + f * dim;
                for (int d = 0; d < dim; d++)
                {
                    dEmbeddings[o + d] += g[d] * (s[d] - embeddings[o + d]);
                }
            }
        }
    }
}
