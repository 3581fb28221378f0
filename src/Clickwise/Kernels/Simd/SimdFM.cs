using System.Numerics.Tensors;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// FM sum-square with <see cref="TensorPrimitives"/>: per sample one running field sum, and Σ_f Σ_d e² as a single
/// sum of squares over the sample's contiguous [F·D] block.
/// </summary>
public sealed class SimdFM : IFMKernel
{
    public string Name => "fm-simd";

    public void Forward(ReadOnlySpan<float> emb, int batchSize, int fieldCount, int dim, Span<float> sum, Span<float> y)
    {
        KernelChecks.FM(emb.Length, batchSize, fieldCount, dim, sum.Length, y.Length);
        int rowLength = fieldCount * dim;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> row = emb.Slice(b * rowLength, rowLength);
            Span<float> s = sum.Slice(b * dim, dim);
            s.Clear();
            for (int f = 0; f < fieldCount; f++)
            {
                TensorPrimitives.Add(s, row.Slice(f * dim, dim), s);
            }

            y[b] = 0.5f * (TensorPrimitives.SumOfSquares(s) - TensorPrimitives.SumOfSquares(row));
        }
    }

    public void Backward(ReadOnlySpan<float> emb, ReadOnlySpan<float> sum, ReadOnlySpan<float> dY,
                         int batchSize, int fieldCount, int dim, Span<float> dEmb)
    {
        KernelChecks.FM(emb.Length, batchSize, fieldCount, dim, sum.Length, dY.Length);
        KernelChecks.Length(dEmb.Length, emb.Length, nameof(dEmb));
        int rowLength = fieldCount * dim;
        Span<float> scaledSum = dim <= 256 ? stackalloc float[dim] : new float[dim];
        for (int b = 0; b < batchSize; b++)
        {
            float dy = dY[b];
            Span<float> dRow = dEmb.Slice(b * rowLength, rowLength);
            // dE += dy·sum − dy·e: the second part is one call over the whole [F·D] block.
            TensorPrimitives.MultiplyAdd(emb.Slice(b * rowLength, rowLength), -dy, dRow, dRow);
            TensorPrimitives.Multiply(sum.Slice(b * dim, dim), dy, scaledSum);
            for (int f = 0; f < fieldCount; f++)
            {
                Span<float> dField = dRow.Slice(f * dim, dim);
                TensorPrimitives.Add(dField, scaledSum, dField);
            }
        }
    }
}
