using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>
/// The element-wise passes around a tanh hidden layer's GEMM: forward h = dropout(tanh(z + b)) in place, writing the
/// local derivative g = m · scale · (1 − tanh²) beside it (m the dropout mask), and backward dZ = dH ⊙ g in place with
/// the bias gradient Σ_b dZ[b, :]. Unlike <see cref="ReluDropout"/>, h alone cannot tell a dropped unit from
/// tanh(z) = 0, hence the stored derivative. The masks are the same <see cref="DropoutStream"/> ones the ReLU path draws.
/// </summary>
public static class TanhDropout
{
    /// <summary>
    /// Rows [firstRow, firstRow + rowCount) of h [B, width] (<paramref name="h"/> and <paramref name="derivative"/> hold
    /// exactly those rows): h = tanh(h + bias), times the mask of <paramref name="dropout"/> when given.
    /// </summary>
    public static void Forward(Span<float> h, ReadOnlySpan<float> bias, int width, int firstRow, int rowCount, DropoutStream? dropout,
                               Span<float> derivative)
    {
        float scale = dropout?.Scale ?? 1f;
        for (int r = 0; r < rowCount; r++)
        {
            Span<float> row = h.Slice(r * width, width);
            Span<float> g = derivative.Slice(r * width, width);
            TensorPrimitives.Add(row, bias[..width], row);
            TensorPrimitives.Tanh(row, row);
            for (int j = 0; j < width; j++)
            {
                float t = row[j];
                float s = dropout is not { } stream || stream.Keeps((long)(firstRow + r) * width + j) ? scale : 0f;
                row[j] = t * s;
                g[j] = s * (1f - t * t);
            }
        }
    }

    /// <summary>
    /// Columns [columnStart, columnEnd) of every row of d [rowCount, width], in place: d ⊙= derivative;
    /// dBias[j] += Σ_b d[b, j], summed in row order (so the result does not depend on how columns are split).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> derivative, Span<float> d, int rowCount, int width, int columnStart, int columnEnd,
                                Span<float> dBias)
    {
        int n = columnEnd - columnStart;
        Span<float> db = dBias.Slice(columnStart, n);
        for (int r = 0; r < rowCount; r++)
        {
            Span<float> row = d.Slice(r * width + columnStart, n);
            TensorPrimitives.Multiply(row, derivative.Slice(r * width + columnStart, n), row);
            TensorPrimitives.Add(db, row, db);
        }
    }
}
