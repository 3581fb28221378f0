using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>
/// FFM pairwise term over gathered field-aware vectors: y[b] = Σ_{i&lt;j} ⟨v[b,i,j], v[b,j,i]⟩, where v[b,i,f] is the
/// embedding the feature of field i keeps for meeting field f. The diagonal v[b,i,i] takes no part (and gets no
/// gradient), so a gather may leave it unset.
/// </summary>
/// <remarks>
/// FFM (Juan et al., "Field-aware Factorization Machines for CTR Prediction", RecSys 2016), eq. 2:
/// φ(w, x) = Σ_{j1&lt;j2} ⟨w_{j1,f2}, w_{j2,f1}⟩ x_{j1} x_{j2}; the feature values are already folded into v by the gather.
/// A table for it is [V, F·D]: row id holds the F field-aware vectors of that feature, so the embedding gather with
/// width F·D yields [B, F, F, D] directly.
/// </remarks>
public static class FieldAwareInteraction
{
    /// <param name="fieldAware">[B, F, F, D]: v[b, i, f, :].</param>
    /// <param name="output">[B].</param>
    public static void Forward(ReadOnlySpan<float> fieldAware, int batchSize, int fieldCount, int dim, Span<float> output)
    {
        int rowLength = fieldCount * fieldCount * dim;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> v = fieldAware.Slice(b * rowLength, rowLength);
            float y = 0f;
            for (int i = 0; i < fieldCount; i++)
            {
                for (int j = i + 1; j < fieldCount; j++)
                {
                    y += TensorPrimitives.Dot(v.Slice(Offset(i, j, fieldCount, dim), dim), v.Slice(Offset(j, i, fieldCount, dim), dim));
                }
            }

            output[b] = y;
        }
    }

    /// <param name="dFieldAware">[B, F, F, D], accumulated.</param>
    public static void Backward(ReadOnlySpan<float> fieldAware, ReadOnlySpan<float> dOutput,
                                int batchSize, int fieldCount, int dim, Span<float> dFieldAware)
    {
        int rowLength = fieldCount * fieldCount * dim;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> v = fieldAware.Slice(b * rowLength, rowLength);
            Span<float> dV = dFieldAware.Slice(b * rowLength, rowLength);
            float g = dOutput[b];
            for (int i = 0; i < fieldCount; i++)
            {
                for (int j = i + 1; j < fieldCount; j++)
                {
                    int ij = Offset(i, j, fieldCount, dim), ji = Offset(j, i, fieldCount, dim);
                    TensorPrimitives.MultiplyAdd(v.Slice(ji, dim), g, dV.Slice(ij, dim), dV.Slice(ij, dim));
                    TensorPrimitives.MultiplyAdd(v.Slice(ij, dim), g, dV.Slice(ji, dim), dV.Slice(ji, dim));
                }
            }
        }
    }

    private static int Offset(int field, int otherField, int fieldCount, int dim) => (field * fieldCount + otherField) * dim;
}
