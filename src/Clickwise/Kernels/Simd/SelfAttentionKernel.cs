using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// One sample-head of self-attention, forward and backward, every product a <see cref="RowCombination{TLanes, TVector}"/>;
/// the training layer and the compiled plan run the same forward.
/// The attention is kept transposed, P = Aᵀ [F keys, F_p queries] (F_p = F rounded up to the lane count), so the
/// softmax and its backward run down columns with vertical max, sum and dot products, and every product is vectorised
/// over a head dimension or over queries:
/// forward Sᵀ = K·Qᵀ, P = softmax(s·Sᵀ) per column, O += Pᵀ·V;
/// backward dV += P·dO, dAᵀ = V·dOᵀ, dSᵀ = s·P ⊙ (dAᵀ − Σ_keys P ⊙ dAᵀ), dQ += dSᵀᵀ·K, dK += dSᵀ·Q.
/// Padding query columns hold finite values (zero scores give a uniform softmax) that no product reads.
/// </summary>
internal static unsafe class SelfAttentionKernel<TLanes, TVector>
    where TLanes : struct, ISoftmaxLaneOps<TVector>
    where TVector : unmanaged
{
    /// <summary>F rounded up to a whole number of vectors.</summary>
    public static int PaddedFields(int fieldCount) => (fieldCount + TLanes.Count - 1) / TLanes.Count * TLanes.Count;

    /// <summary>Floats of per-thread scratch: a transposed head [d, F_p] and dAᵀ (or the plan's P) [F, F_p].</summary>
    public static int ScratchFloats(int fieldCount, int headDim) => (headDim + fieldCount) * PaddedFields(fieldCount);

    /// <param name="q">Row 0 of the head's queries; keys <paramref name="k"/> and values <paramref name="v"/> alike, every
    /// row <paramref name="stride"/> floats apart.</param>
    /// <param name="o">Accumulated: O += Pᵀ·V, rows <paramref name="oStride"/> apart.</param>
    /// <param name="attention">P [F, F_p], written.</param>
    public static void Forward(float* q, float* k, float* v, int stride, float* o, int oStride, int fieldCount, int headDim, float scale,
                               float* attention, float* scratch)
    {
        int f = fieldCount, fp = PaddedFields(f);
        float* qt = scratch;
        TransposePadded(q, stride, f, headDim, qt, fp);
        RowCombination<TLanes, TVector>.Run(k, stride, 1, f, headDim, qt, fp, fp, attention, fp, accumulate: false);
        for (int column = 0; column < fp; column += TLanes.Count)
        {
            Softmax(attention + column, f, fp, scale);
        }

        RowCombination<TLanes, TVector>.Run(attention, 1, fp, f, f, v, stride, headDim, o, oStride, accumulate: true);
    }

    /// <summary>
    /// One sample's whole layer from its packed projections (the compiled plan's form): output [F, K·d'] =
    /// ReLU(R + Pᵀ·V) per head, scores unscaled (AutoInt's eq. 6).
    /// </summary>
    /// <param name="projections">
    /// [F, stride]: head h's q, k, v and (with the residual) r, d' columns each, start at column h·block, + d', + 2d', + 3d'.
    /// </param>
    /// <param name="scratch"><see cref="ScratchFloats"/> floats, contents ignored.</param>
    public static void PackedLayer(float* projections, int stride, int block, int fieldCount, int headCount, int headDim, bool residual,
                                   float* scratch, float* output)
    {
        int f = fieldCount, d = headDim, width = headCount * headDim;
        float* attention = scratch + d * PaddedFields(f);
        for (int h = 0; h < headCount; h++)
        {
            float* q = projections + h * block, k = q + d, v = k + d, o = output + h * d;
            for (int i = 0; i < f; i++)
            {
                Span<float> row = new(o + i * width, d);
                if (residual)
                {
                    new ReadOnlySpan<float>(v + d + i * stride, d).CopyTo(row);
                }
                else
                {
                    row.Clear();
                }
            }

            Forward(q, k, v, stride, o, width, f, d, 1f, attention, scratch);
        }

        Span<float> all = new(output, f * width);
        TensorPrimitives.Max(all, 0f, all);
    }

    /// <param name="dO">∂L/∂O of the head, rows <paramref name="stride"/> apart; dQ, dK, dV accumulated alike.</param>
    public static void Backward(float* q, float* k, float* v, float* dO, float* dQ, float* dK, float* dV, int stride, int fieldCount,
                                int headDim, float scale, float* attention, float* scratch)
    {
        int f = fieldCount, fp = PaddedFields(f);
        float* dOt = scratch, dS = scratch + headDim * fp;
        RowCombination<TLanes, TVector>.Run(attention, fp, 1, f, f, dO, stride, headDim, dV, stride, accumulate: true);
        TransposePadded(dO, stride, f, headDim, dOt, fp);
        RowCombination<TLanes, TVector>.Run(v, stride, 1, f, headDim, dOt, fp, fp, dS, fp, accumulate: false);
        for (int column = 0; column < fp; column += TLanes.Count)
        {
            SoftmaxBackward(attention + column, dS + column, f, fp, scale);
        }

        RowCombination<TLanes, TVector>.Run(dS, 1, fp, f, f, k, stride, headDim, dQ, stride, accumulate: true);
        RowCombination<TLanes, TVector>.Run(dS, fp, 1, f, f, q, stride, headDim, dK, stride, accumulate: true);
    }

    /// <summary>Rows [F, d] (stride apart) to [d, F_p] with zero padding columns, so the padding query lanes stay finite.</summary>
    private static void TransposePadded(float* source, int stride, int f, int headDim, float* destination, int fp)
    {
        Transpose8x8.Strided(source, stride, f, headDim, destination, fp);
        for (int c = 0; c < headDim; c++)
        {
            new Span<float>(destination + c * fp + f, fp - f).Clear();
        }
    }

    /// <summary>One vector of query columns of s·Sᵀ replaced by its softmax over the F key rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Softmax(float* column, int f, int fp, float scale)
    {
        TVector s = TLanes.Broadcast(scale);
        TVector max = TLanes.Load(column);
        for (int j = 1; j < f; j++)
        {
            max = TLanes.Max(max, TLanes.Load(column + j * fp));
        }

        TVector sum = TLanes.Zero;
        for (int j = 0; j < f; j++)
        {
            // scale > 0, so max(s·x) = s·max(x).
            TVector e = TLanes.Exp(TLanes.Multiply(TLanes.Subtract(TLanes.Load(column + j * fp), max), s));
            TLanes.Store(e, column + j * fp);
            sum = TLanes.Add(sum, e);
        }

        TVector inverse = TLanes.Divide(TLanes.Broadcast(1f), sum);
        for (int j = 0; j < f; j++)
        {
            TLanes.Store(TLanes.Multiply(TLanes.Load(column + j * fp), inverse), column + j * fp);
        }
    }

    /// <summary>dAᵀ → dSᵀ = s·P ⊙ (dAᵀ − Σ_keys P ⊙ dAᵀ) for one vector of query columns, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SoftmaxBackward(float* p, float* d, int f, int fp, float scale)
    {
        TVector mean = TLanes.Zero;
        for (int j = 0; j < f; j++)
        {
            mean = TLanes.MultiplyAdd(TLanes.Load(p + j * fp), TLanes.Load(d + j * fp), mean);
        }

        TVector s = TLanes.Broadcast(scale);
        for (int j = 0; j < f; j++)
        {
            TVector g = TLanes.Multiply(TLanes.Multiply(TLanes.Load(p + j * fp), s), TLanes.Subtract(TLanes.Load(d + j * fp), mean));
            TLanes.Store(g, d + j * fp);
        }
    }
}
