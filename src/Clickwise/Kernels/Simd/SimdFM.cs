using System.Numerics.Tensors;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// FM sum-square with every step a <see cref="TensorPrimitives"/> call over long spans. Rows are short (D = 10..20),
/// so a call per field would cost more than its arithmetic; instead, per sample: the field sum by pairwise folding
/// of the [F·D] block (log₂F adds), Σ e² as one sum of squares, and backward's dy·(sum − e) over the whole block
/// against sum tiled F times (built by doubling copies).
/// </summary>
public sealed class SimdFM : IFMKernel
{
    [ThreadStatic]
    private static float[]? t_scratch;

    public string Name => "fm-simd";

    public void Forward(ReadOnlySpan<float> emb, int batchSize, int fieldCount, int dim, Span<float> sum, Span<float> y)
    {
        KernelChecks.FM(emb.Length, batchSize, fieldCount, dim, sum.Length, y.Length);
        int rowLength = fieldCount * dim;
        Span<float> fold = Scratch(rowLength);
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> row = emb.Slice(b * rowLength, rowLength);
            Span<float> rowSum = sum.Slice(b * dim, dim);
            if (fieldCount == 0)
            {
                rowSum.Clear();
                y[b] = 0f;
                continue;
            }

            row.CopyTo(fold);
            for (int fields = fieldCount; fields > 1;)
            {
                // Add fields [kept, fields) onto fields [0, fields − kept).
                int kept = (fields + 1) / 2;
                int moved = (fields - kept) * dim;
                TensorPrimitives.Add(fold[..moved], fold.Slice(kept * dim, moved), fold[..moved]);
                fields = kept;
            }

            fold[..dim].CopyTo(rowSum);
            y[b] = 0.5f * (TensorPrimitives.SumOfSquares(rowSum) - TensorPrimitives.SumOfSquares(row));
        }
    }

    public void Backward(ReadOnlySpan<float> emb, ReadOnlySpan<float> sum, ReadOnlySpan<float> dY,
                         int batchSize, int fieldCount, int dim, Span<float> dEmb)
    {
        KernelChecks.FM(emb.Length, batchSize, fieldCount, dim, sum.Length, dY.Length);
        KernelChecks.Length(dEmb.Length, emb.Length, nameof(dEmb));
        int rowLength = fieldCount * dim;
        Span<float> tiled = Scratch(rowLength);
        for (int b = 0; b < batchSize && rowLength > 0; b++)
        {
            sum.Slice(b * dim, dim).CopyTo(tiled);
            for (int filled = dim; filled < rowLength; filled *= 2)
            {
                tiled[..Math.Min(filled, rowLength - filled)].CopyTo(tiled[filled..]);
            }

            Span<float> dRow = dEmb.Slice(b * rowLength, rowLength);
            TensorPrimitives.Subtract(tiled, emb.Slice(b * rowLength, rowLength), tiled);
            TensorPrimitives.MultiplyAdd(tiled, dY[b], dRow, dRow);
        }
    }

    private static Span<float> Scratch(int length)
    {
        float[] scratch = t_scratch is { } s && s.Length >= length ? s : t_scratch = new float[length];
        return scratch.AsSpan(0, length);
    }
}
