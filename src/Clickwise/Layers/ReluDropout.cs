using System.Numerics;
using System.Runtime.InteropServices;

namespace Clickwise.Layers;

/// <summary>
/// The fused element-wise passes around a hidden layer's GEMM, one read and one write of the activations each:
/// forward h = dropout(ReLU(z + b)) in place, and backward dZ = (h &gt; 0 ? dH · scale : 0) in place with the bias
/// gradient Σ_b dZ[b, :] added up on the way. Backward needs no mask: a kept unit has h &gt; 0 exactly when its ReLU
/// passed, a dropped one has h = 0, and every kept unit was scaled by the same 1 / (1 − rate).
/// The vector bodies of <see cref="Kernels.Simd.VectorReluDropout"/>; the registry's reference
/// (<see cref="Kernels.Reference.ReferenceReluDropout"/>) is the plain loops they match bit for bit.
/// </summary>
public static class ReluDropout
{
    [ThreadStatic]
    private static ulong[]? t_draws;

    /// <summary>
    /// Rows [firstRow, firstRow + rowCount) of h [B, width] (<paramref name="rows"/> holds exactly those rows):
    /// h = max(h + bias, 0), then times the mask of <paramref name="dropout"/> when it is given.
    /// </summary>
    public static void Forward(Span<float> rows, ReadOnlySpan<float> bias, int width, int firstRow, int rowCount,
                               DropoutStream? dropout)
    {
        int vectorCount = Vector<ushort>.Count;
        Span<ulong> draws = dropout is null ? default : Draws(width / 4 + 2 + vectorCount / 4);
        for (int r = 0; r < rowCount; r++)
        {
            Span<float> row = rows.Slice(r * width, width);
            if (dropout is not { } stream)
            {
                BiasRelu(row, bias);
                continue;
            }

            long first = (long)(firstRow + r) * width;
            stream.FillDraws(first, draws);
            ReadOnlySpan<ushort> chunks = MemoryMarshal.Cast<ulong, ushort>(draws)[(int)(first & 3)..];
            BiasReluDropout(row, bias, chunks, stream.Threshold, stream.Scale);
        }
    }

    /// <summary>
    /// Columns [columnStart, columnEnd) of every row of dH [rowCount, width], in place: dZ = h &gt; 0 ? dH · scale : 0;
    /// dBias[j] += Σ_b dZ[b, j], summed in row order (so the result does not depend on how columns are split).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> h, Span<float> d, int rowCount, int width, int columnStart, int columnEnd,
                                float scale, Span<float> dBias)
    {
        int n = columnEnd - columnStart;
        Span<float> db = dBias[columnStart..columnEnd];
        var vs = new Vector<float>(scale);
        for (int r = 0; r < rowCount; r++)
        {
            ReadOnlySpan<float> hr = h.Slice(r * width + columnStart, n);
            Span<float> dr = d.Slice(r * width + columnStart, n);
            int j = 0;
            for (; j <= n - Vector<float>.Count; j += Vector<float>.Count)
            {
                var hv = new Vector<float>(hr[j..]);
                Vector<float> g = Vector.ConditionalSelect(Vector.GreaterThan(hv, Vector<float>.Zero),
                    new Vector<float>(dr[j..]) * vs, Vector<float>.Zero);
                g.CopyTo(dr[j..]);
                (new Vector<float>(db[j..]) + g).CopyTo(db[j..]);
            }

            for (; j < n; j++)
            {
                float g = hr[j] > 0f ? dr[j] * scale : 0f;
                dr[j] = g;
                db[j] += g;
            }
        }
    }

    private static void BiasRelu(Span<float> row, ReadOnlySpan<float> bias)
    {
        int j = 0;
        for (; j <= row.Length - Vector<float>.Count; j += Vector<float>.Count)
        {
            Vector.Max(new Vector<float>(row[j..]) + new Vector<float>(bias[j..]), Vector<float>.Zero).CopyTo(row[j..]);
        }

        for (; j < row.Length; j++)
        {
            row[j] = MathF.Max(row[j] + bias[j], 0f);
        }
    }

    private static void BiasReluDropout(Span<float> row, ReadOnlySpan<float> bias, ReadOnlySpan<ushort> chunks,
                                        int threshold, float scale)
    {
        // A threshold of 65536 (rate within 2^-17 of 1) keeps nothing; 16-bit compares cannot say that.
        bool keepNone = threshold > ushort.MaxValue;
        var limit = new Vector<ushort>((ushort)Math.Min(threshold, ushort.MaxValue));
        var scaleBits = Vector.AsVectorInt32(new Vector<float>(keepNone ? 0f : scale));
        int half = Vector<float>.Count;
        int j = 0;
        for (; j <= row.Length - 2 * half; j += 2 * half)
        {
            // All-ones 16-bit lanes widen (sign-extended) to all-ones 32-bit lanes: a mask of the scale's bits.
            Vector<short> keep = Vector.AsVectorInt16(Vector.GreaterThanOrEqual(new Vector<ushort>(chunks[j..]), limit));
            Vector.Widen(keep, out Vector<int> low, out Vector<int> high);
            Vector<float> h0 = Vector.Max(new Vector<float>(row[j..]) + new Vector<float>(bias[j..]), Vector<float>.Zero);
            Vector<float> h1 = Vector.Max(new Vector<float>(row[(j + half)..]) + new Vector<float>(bias[(j + half)..]), Vector<float>.Zero);
            (h0 * Vector.AsVectorSingle(low & scaleBits)).CopyTo(row[j..]);
            (h1 * Vector.AsVectorSingle(high & scaleBits)).CopyTo(row[(j + half)..]);
        }

        for (; j < row.Length; j++)
        {
            bool kept = !keepNone && chunks[j] >= threshold;
            row[j] = MathF.Max(row[j] + bias[j], 0f) * (kept ? scale : 0f);
        }
    }

    private static Span<ulong> Draws(int length)
    {
        ulong[] draws = t_draws is { } d && d.Length >= length ? d : t_draws = new ulong[length];
        return draws.AsSpan(0, length);
    }
}
