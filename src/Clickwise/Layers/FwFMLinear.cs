using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>
/// FwFM linear term (DeepLight eq. 6, the reference code's <c>use_fwlw</c>): y[b] = Σ_f ⟨e[b,f], v_f⟩ with one
/// vector v_f per field instead of one weight per feature, so it costs F·D parameters rather than V.
/// </summary>
public static class FwFMLinear
{
    /// <param name="embeddings">[B, F, D].</param>
    /// <param name="fieldVectors">[F, D].</param>
    /// <param name="output">[B].</param>
    public static void Forward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> fieldVectors,
                               int batchSize, int fieldCount, int dim, Span<float> output)
    {
        int width = fieldCount * dim;
        for (int b = 0; b < batchSize; b++)
        {
            output[b] = TensorPrimitives.Dot(embeddings.Slice(b * width, width), fieldVectors[..width]);
        }
    }

    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    /// <param name="dFieldVectors">[F, D], accumulated.</param>
    public static void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> fieldVectors, ReadOnlySpan<float> dOutput,
                                int batchSize, int fieldCount, int dim, Span<float> dEmbeddings, Span<float> dFieldVectors)
    {
        int width = fieldCount * dim;
        for (int b = 0; b < batchSize; b++)
        {
            float g = dOutput[b];
            Span<float> dRow = dEmbeddings.Slice(b * width, width);
            TensorPrimitives.MultiplyAdd(fieldVectors[..width], g, dRow, dRow);
            TensorPrimitives.MultiplyAdd(embeddings.Slice(b * width, width), g, dFieldVectors[..width], dFieldVectors[..width]);
        }
    }
}
