using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Clickwise.Kernels.Simd;

namespace Clickwise.Inference.Ops;

/// <summary>
/// One sample's interacting layer from its projections: for every head h, scores S = Q_h·K_hᵀ [F, F], a softmax over
/// keys, then out_h = ReLU(S·V_h + R_h) (R_h = 0 without the residual). The scores are kept transposed, Sᵀ [F keys,
/// F_p queries] (F_p = F rounded up to the lane count), vectorised over queries: Q_h is transposed to [d', F_p] first
/// (zero padding columns), each key row of Sᵀ is a sum of d' broadcast FMAs, and the softmax of every query runs down
/// the columns with vertical max, exp and sum, no horizontal reductions and no masking (padding queries get finite junk
/// that is never read). S·V_h is vectorised over head dims (d' must be a multiple of the lane count). Both products
/// run in tiles of 8 rows (8 independent accumulators, the FMA latency × throughput); a last partial tile repeats row
/// F−1, whose duplicate results land on row F−1 again, so there is no remainder loop.
/// </summary>
internal static unsafe class AttentionKernel<TLanes, TVector>
    where TLanes : struct, ISoftmaxLaneOps<TVector>
    where TVector : unmanaged
{
    private const int TileRows = 8;

    /// <summary>F rounded up to a whole number of vectors.</summary>
    public static int PaddedFields(int fieldCount) => (fieldCount + TLanes.Count - 1) / TLanes.Count * TLanes.Count;

    /// <summary>Floats of scratch <see cref="Run"/> needs: Q_hᵀ [d', F_p] and the transposed attention [F, F_p].</summary>
    public static int ScratchFloats(int fieldCount, int headDim) => (headDim + fieldCount) * PaddedFields(fieldCount);

    /// <param name="projections">
    /// [F, stride], one sample's rows of the packed projection: head h's q, k, v and (with the residual) r, d' columns
    /// each, start at column h·block, h·block + d', + 2d', + 3d'.
    /// </param>
    /// <param name="scratch"><see cref="ScratchFloats"/> floats.</param>
    /// <param name="output">[F, K·d'], overwritten.</param>
    public static void Run(float* projections, int stride, int block, int fieldCount, int headCount, int headDim, bool residual,
                           float* scratch, float* output)
    {
        int f = fieldCount, fp = PaddedFields(f), width = headCount * headDim;
        float* qt = scratch, attention = scratch + headDim * fp;
        for (int c = 0; c < headDim; c++)
        {
            new Span<float>(qt + c * fp + f, fp - f).Clear();
        }

        for (int h = 0; h < headCount; h++)
        {
            float* q = projections + h * block, k = q + headDim, v = k + headDim;
            float* r = residual ? v + headDim : null;
            Transpose(q, stride, f, headDim, qt, fp);
            for (int column = 0; column < fp; column += TLanes.Count)
            {
                for (int j = 0; j < f; j += TileRows)
                {
                    ScoreTile(k, stride, j, f, qt + column, fp, headDim, attention + column);
                }

                Softmax(attention + column, f, fp);
            }

            for (int column = 0; column < headDim; column += TLanes.Count)
            {
                for (int i = 0; i < f; i += TileRows)
                {
                    ValueTile(attention, fp, i, f, v + column, r == null ? null : r + column, stride, output + h * headDim + column, width);
                }
            }
        }
    }

    /// <summary>qt[c·fp + i] = q[i·stride + c] for i &lt; F, c &lt; d'.</summary>
    private static void Transpose(float* q, int stride, int f, int headDim, float* qt, int fp)
    {
        int i = 0;
        if (Transpose8x8.IsSupported)
        {
            for (; i + 8 <= f; i += 8)
            {
                int c = 0;
                for (; c + 8 <= headDim; c += 8)
                {
                    Transpose8x8.Run(q + i * stride + c, stride, qt + c * fp + i, fp);
                }

                for (; c < headDim; c++)
                {
                    for (int t = i; t < i + 8; t++)
                    {
                        qt[c * fp + t] = q[t * stride + c];
                    }
                }
            }
        }

        for (; i < f; i++)
        {
            for (int c = 0; c < headDim; c++)
            {
                qt[c * fp + i] = q[i * stride + c];
            }
        }
    }

    /// <summary>Sᵀ[j..j+8, query vector] = K[j..j+8]·Q_hᵀ[:, query vector], key rows past F-1 clamped to F-1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoreTile(float* k, int stride, int j, int f, float* qt, int fp, int headDim, float* scores)
    {
        int last = f - 1;
        float* k0 = k + Math.Min(j, last) * stride, k1 = k + Math.Min(j + 1, last) * stride;
        float* k2 = k + Math.Min(j + 2, last) * stride, k3 = k + Math.Min(j + 3, last) * stride;
        float* k4 = k + Math.Min(j + 4, last) * stride, k5 = k + Math.Min(j + 5, last) * stride;
        float* k6 = k + Math.Min(j + 6, last) * stride, k7 = k + Math.Min(j + 7, last) * stride;
        TVector a0 = TLanes.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int c = 0; c < headDim; c++)
        {
            TVector query = TLanes.Load(qt + c * fp);
            a0 = TLanes.MultiplyAdd(TLanes.Broadcast(k0[c]), query, a0);
            a1 = TLanes.MultiplyAdd(TLanes.Broadcast(k1[c]), query, a1);
            a2 = TLanes.MultiplyAdd(TLanes.Broadcast(k2[c]), query, a2);
            a3 = TLanes.MultiplyAdd(TLanes.Broadcast(k3[c]), query, a3);
            a4 = TLanes.MultiplyAdd(TLanes.Broadcast(k4[c]), query, a4);
            a5 = TLanes.MultiplyAdd(TLanes.Broadcast(k5[c]), query, a5);
            a6 = TLanes.MultiplyAdd(TLanes.Broadcast(k6[c]), query, a6);
            a7 = TLanes.MultiplyAdd(TLanes.Broadcast(k7[c]), query, a7);
        }

        // A clamped row computed exactly row F-1's numbers, so storing them to row F-1 again changes nothing.
        TLanes.Store(a7, scores + Math.Min(j + 7, last) * fp);
        TLanes.Store(a6, scores + Math.Min(j + 6, last) * fp);
        TLanes.Store(a5, scores + Math.Min(j + 5, last) * fp);
        TLanes.Store(a4, scores + Math.Min(j + 4, last) * fp);
        TLanes.Store(a3, scores + Math.Min(j + 3, last) * fp);
        TLanes.Store(a2, scores + Math.Min(j + 2, last) * fp);
        TLanes.Store(a1, scores + Math.Min(j + 1, last) * fp);
        TLanes.Store(a0, scores + Math.Min(j, last) * fp);
    }

    /// <summary>Column vector of Sᵀ (one query per lane) = its softmax over the F key rows: max, exp, sum, all vertical.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Softmax(float* column, int f, int fp)
    {
        TVector max = TLanes.Load(column);
        for (int j = 1; j < f; j++)
        {
            max = TLanes.Max(max, TLanes.Load(column + j * fp));
        }

        TVector sum = TLanes.Zero;
        for (int j = 0; j < f; j++)
        {
            TVector e = TLanes.Exp(TLanes.Subtract(TLanes.Load(column + j * fp), max));
            TLanes.Store(e, column + j * fp);
            sum = TLanes.Add(sum, e);
        }

        TVector scale = TLanes.Divide(TLanes.Broadcast(1f), sum);
        for (int j = 0; j < f; j++)
        {
            TLanes.Store(TLanes.Multiply(TLanes.Load(column + j * fp), scale), column + j * fp);
        }
    }

    /// <summary>out[i..i+8, column vector] = ReLU(A[i..i+8]·V_h[:, column vector] + R_h[i..i+8, column vector]), A read from Sᵀ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ValueTile(float* attention, int fp, int i, int f, float* v, float* r, int stride, float* output, int width)
    {
        int last = f - 1;
        int i0 = Math.Min(i, last), i1 = Math.Min(i + 1, last), i2 = Math.Min(i + 2, last), i3 = Math.Min(i + 3, last);
        int i4 = Math.Min(i + 4, last), i5 = Math.Min(i + 5, last), i6 = Math.Min(i + 6, last), i7 = Math.Min(i + 7, last);
        TVector a0, a1, a2, a3, a4, a5, a6, a7;
        if (r == null)
        {
            a0 = TLanes.Zero;
            a1 = a0;
            a2 = a0;
            a3 = a0;
            a4 = a0;
            a5 = a0;
            a6 = a0;
            a7 = a0;
        }
        else
        {
            a0 = TLanes.Load(r + i0 * stride);
            a1 = TLanes.Load(r + i1 * stride);
            a2 = TLanes.Load(r + i2 * stride);
            a3 = TLanes.Load(r + i3 * stride);
            a4 = TLanes.Load(r + i4 * stride);
            a5 = TLanes.Load(r + i5 * stride);
            a6 = TLanes.Load(r + i6 * stride);
            a7 = TLanes.Load(r + i7 * stride);
        }

        for (int j = 0; j < f; j++)
        {
            TVector value = TLanes.Load(v + j * stride);
            float* weights = attention + j * fp;
            a0 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i0]), value, a0);
            a1 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i1]), value, a1);
            a2 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i2]), value, a2);
            a3 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i3]), value, a3);
            a4 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i4]), value, a4);
            a5 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i5]), value, a5);
            a6 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i6]), value, a6);
            a7 = TLanes.MultiplyAdd(TLanes.Broadcast(weights[i7]), value, a7);
        }

        TVector zero = TLanes.Zero;
        TLanes.Store(TLanes.Max(a7, zero), output + i7 * width);
        TLanes.Store(TLanes.Max(a6, zero), output + i6 * width);
        TLanes.Store(TLanes.Max(a5, zero), output + i5 * width);
        TLanes.Store(TLanes.Max(a4, zero), output + i4 * width);
        TLanes.Store(TLanes.Max(a3, zero), output + i3 * width);
        TLanes.Store(TLanes.Max(a2, zero), output + i2 * width);
        TLanes.Store(TLanes.Max(a1, zero), output + i1 * width);
        TLanes.Store(TLanes.Max(a0, zero), output + i0 * width);
    }
}
