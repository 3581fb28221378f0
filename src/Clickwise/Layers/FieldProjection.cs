namespace Clickwise.Layers;

/// <summary>
/// AFM's projected embeddings (seed 002, eq. 11): each field's k-wide compressed embedding c_f becomes
/// e_f = c_f·W_f + b_f, t-wide, with W [F, k, t] and b [F, t] — the bias added once, not scaled by the feature value,
/// which keeps the form exact for libsvm values x ≠ 1. One body serves training and the compiled plan.
/// </summary>
public static class FieldProjection
{
    /// <summary>out [B, F, t] = c [B, F, k]·W_f + b_f per field.</summary>
    public static void Forward(ReadOnlySpan<float> compressed, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rows,
                               int fieldCount, int rank, int dim, Span<float> output)
    {
        for (int b = 0; b < rows; b++)
        {
            for (int f = 0; f < fieldCount; f++)
            {
                ReadOnlySpan<float> c = compressed.Slice((b * fieldCount + f) * rank, rank);
                Span<float> e = output.Slice((b * fieldCount + f) * dim, dim);
                bias.Slice(f * dim, dim).CopyTo(e);
                ReadOnlySpan<float> w = weight.Slice(f * rank * dim, rank * dim);
                for (int j = 0; j < rank; j++)
                {
                    float cj = c[j];
                    ReadOnlySpan<float> row = w.Slice(j * dim, dim);
                    for (int d = 0; d < dim; d++)
                    {
                        e[d] += cj * row[d];
                    }
                }
            }
        }
    }

    /// <summary>dW_f += c_fᵀ·dOut_f, db_f += Σ_b dOut_f, and dC [B, F, k] = dOut_f·W_fᵀ (written).</summary>
    public static void Backward(ReadOnlySpan<float> compressed, ReadOnlySpan<float> weight, ReadOnlySpan<float> dOutput, int rows,
                                int fieldCount, int rank, int dim, Span<float> dCompressed, Span<float> dWeight, Span<float> dBias)
    {
        for (int b = 0; b < rows; b++)
        {
            for (int f = 0; f < fieldCount; f++)
            {
                ReadOnlySpan<float> c = compressed.Slice((b * fieldCount + f) * rank, rank);
                ReadOnlySpan<float> g = dOutput.Slice((b * fieldCount + f) * dim, dim);
                Span<float> dc = dCompressed.Slice((b * fieldCount + f) * rank, rank);
                Span<float> db = dBias.Slice(f * dim, dim);
                for (int d = 0; d < dim; d++)
                {
                    db[d] += g[d];
                }

                for (int j = 0; j < rank; j++)
                {
                    ReadOnlySpan<float> w = weight.Slice((f * rank + j) * dim, dim);
                    Span<float> dw = dWeight.Slice((f * rank + j) * dim, dim);
                    float cj = c[j], sum = 0f;
                    for (int d = 0; d < dim; d++)
                    {
                        dw[d] += cj * g[d];
                        sum += g[d] * w[d];
                    }

                    dc[j] = sum;
                }
            }
        }
    }
}
