using System.Runtime.CompilerServices;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// FwFM vectorised across samples: a block of L lanes' samples is transposed to Et [F, D', L] (D' = D padded to 4),
/// so every (field, dim) value of the block is one vector and the pair sums are FMAs with r broadcast: no horizontal
/// sums, and no dependence on F or D fitting the lanes. Per block:
/// y = Σ_i Σ_d E_id·(Σ_{j&gt;i} r_ij E_jd); dE_id += dy·Σ_{j≠i} r_ij E_jd; dR_ij += Σ_lanes dy·⟨E_i, E_j⟩.
/// Two fields × four dims go at a time, eight independent FMA chains per loop. Padding lanes and dims are zero.
/// </summary>
public sealed unsafe class LaneFwFM<TOps, TVector> : IFwFMKernel
    where TOps : struct, ILaneOps<TVector>
    where TVector : unmanaged
{
    private const int DimGroup = 4;

    [ThreadStatic]
    private static float[]? t_scratch;

    public string Name => TOps.Count == 1 ? "fwfm-scalar" : $"fwfm-v{TOps.Count * 32}";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<float> emb, ReadOnlySpan<float> pairWeight, int batchSize, int fieldCount, int dim,
                        Span<float> y)
    {
        KernelChecks.FwFM(emb.Length, pairWeight.Length, batchSize, fieldCount, dim, y.Length);
        int lanes = TOps.Count;
        var block = new Block(fieldCount, dim, lanes);
        Span<float> scratch = Scratch(block.Floats + lanes);
        fixed (float* e = emb, r = pairWeight, s = scratch)
        {
            float* et = s, sums = s + block.Floats;
            for (int b0 = 0; b0 < batchSize; b0 += lanes)
            {
                int count = Math.Min(lanes, batchSize - b0);
                block.Transpose(e, b0, count, et);
                TOps.Store(UpperSums(et, r, block), sums);
                new Span<float>(sums, count).CopyTo(y.Slice(b0, count));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(ReadOnlySpan<float> emb, ReadOnlySpan<float> pairWeight, ReadOnlySpan<float> dY,
                         int batchSize, int fieldCount, int dim, Span<float> dEmb, Span<float> dPairWeight)
    {
        KernelChecks.FwFMBackward(emb.Length, pairWeight.Length, batchSize, fieldCount, dim, dY.Length, dEmb.Length,
            dPairWeight.Length);
        int lanes = TOps.Count;
        int f = fieldCount;
        var block = new Block(fieldCount, dim, lanes);

        // Scratch: Et, dEt, per-pair lane sums of dR [F·F, L], per-j dots [F, L], dy [L], symmetric R [F, F].
        Span<float> scratch = Scratch(2 * block.Floats + (f * f + f + 1) * lanes + f * f);
        scratch.Clear();
        fixed (float* e = emb, r = pairWeight, dye = dY, de = dEmb, s = scratch)
        {
            float* et = s, det = et + block.Floats, drLanes = det + block.Floats, dots = drLanes + f * f * lanes;
            float* dyLanes = dots + f * lanes, symmetric = dyLanes + lanes;
            for (int i = 0; i < f; i++)
            {
                for (int j = i + 1; j < f; j++)
                {
                    symmetric[i * f + j] = symmetric[j * f + i] = r[i * f + j];
                }
            }

            for (int b0 = 0; b0 < batchSize; b0 += lanes)
            {
                int count = Math.Min(lanes, batchSize - b0);
                block.Transpose(e, b0, count, et);
                new Span<float>(dyLanes, lanes).Clear();
                new Span<float>(dye + b0, count).CopyTo(new Span<float>(dyLanes, count));
                TVector dy = TOps.Load(dyLanes);
                MixedSums(et, symmetric, dy, block, det);
                AccumulateGram(et, dy, block, dots, drLanes);
                block.AddBack(det, b0, count, de);
            }

            for (int i = 0; i < f; i++)
            {
                for (int j = i + 1; j < f; j++)
                {
                    float total = 0;
                    float* lane = drLanes + (i * f + j) * lanes;
                    for (int l = 0; l < lanes; l++)
                    {
                        total += lane[l];
                    }

                    dPairWeight[i * f + j] += total;
                }
            }
        }
    }

    /// <summary>Σ_i Σ_d E_id·(Σ_{j&gt;i} r_ij E_jd) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector UpperSums(float* et, float* r, in Block block)
    {
        int f = block.FieldCount, lanes = block.Lanes, step = block.PaddedDim * lanes;
        TVector total = TOps.Zero;
        for (int i = 0; i < f - 1; i += 2)
        {
            bool pair = i + 2 < f; // row i + 1 has partners only when i + 2 < F
            for (int dq = 0; dq < block.PaddedDim; dq += DimGroup)
            {
                var sums = default(TwoFieldSums);
                float* x = et + (i + 1) * step + dq * lanes;
                sums.Add(TOps.Broadcast(r[i * f + i + 1]), TOps.Zero, x, lanes); // r_(i+1)(i+1) = 0
                for (int j = i + 2; j < f; j++)
                {
                    x += step;
                    sums.Add(TOps.Broadcast(r[i * f + j]), TOps.Broadcast(r[(i + 1) * f + j]), x, lanes);
                }

                float* ei = et + i * step + dq * lanes;
                total = TwoFieldSums.Dot(ei, lanes, sums.A0, sums.A1, sums.A2, sums.A3, total);
                if (pair)
                {
                    total = TwoFieldSums.Dot(ei + step, lanes, sums.B0, sums.B1, sums.B2, sums.B3, total);
                }
            }
        }

        return total;
    }

    /// <summary>dEt_id = dy·Σ_j s_ij E_jd with s the symmetric R (zero diagonal), two fields at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MixedSums(float* et, float* symmetric, TVector dy, in Block block, float* det)
    {
        int f = block.FieldCount, lanes = block.Lanes, step = block.PaddedDim * lanes;
        for (int i = 0; i < f; i += 2)
        {
            // An odd last field pairs with itself; its duplicate result is written to the same place.
            int k = Math.Min(i + 1, f - 1);
            for (int dq = 0; dq < block.PaddedDim; dq += DimGroup)
            {
                var sums = default(TwoFieldSums);
                float* x = et + dq * lanes;
                for (int j = 0; j < f; j++, x += step)
                {
                    sums.Add(TOps.Broadcast(symmetric[i * f + j]), TOps.Broadcast(symmetric[k * f + j]), x, lanes);
                }

                TwoFieldSums.StoreScaled(dy, sums.B0, sums.B1, sums.B2, sums.B3, det + k * step + dq * lanes, lanes);
                TwoFieldSums.StoreScaled(dy, sums.A0, sums.A1, sums.A2, sums.A3, det + i * step + dq * lanes, lanes);
            }
        }
    }

    /// <summary>drLanes[i, j] += dy·⟨E_i, E_j⟩ for j &gt; i, the dots summed over dim groups in <paramref name="dots"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateGram(float* et, TVector dy, in Block block, float* dots, float* drLanes)
    {
        int f = block.FieldCount, lanes = block.Lanes, step = block.PaddedDim * lanes;
        for (int i = 0; i < f - 1; i++)
        {
            for (int dq = 0; dq < block.PaddedDim; dq += DimGroup)
            {
                float* ei = et + i * step + dq * lanes;
                TVector e0 = TOps.Load(ei), e1 = TOps.Load(ei + lanes), e2 = TOps.Load(ei + 2 * lanes), e3 = TOps.Load(ei + 3 * lanes);
                float* x = ei + step;
                for (int j = i + 1; j < f; j++, x += step)
                {
                    TVector p = TOps.Multiply(e0, TOps.Load(x));
                    TVector q = TOps.Multiply(e1, TOps.Load(x + lanes));
                    p = TOps.MultiplyAdd(e2, TOps.Load(x + 2 * lanes), p);
                    q = TOps.MultiplyAdd(e3, TOps.Load(x + 3 * lanes), q);
                    float* dot = dots + j * lanes;
                    TVector sum = dq == 0 ? TOps.Zero : TOps.Load(dot);
                    TOps.Store(TOps.Add(TOps.Add(p, q), sum), dot);
                }
            }

            for (int j = i + 1; j < f; j++)
            {
                float* lane = drLanes + (i * f + j) * lanes;
                TOps.Store(TOps.MultiplyAdd(dy, TOps.Load(dots + j * lanes), TOps.Load(lane)), lane);
            }
        }
    }

    private static Span<float> Scratch(int length)
    {
        float[] scratch = t_scratch is { } s && s.Length >= length ? s : t_scratch = new float[length];
        return scratch.AsSpan(0, length);
    }

    /// <summary>Four dims of Σ_j r·x for two fields at once: A for one field, B for the other, eight FMA chains.</summary>
    private struct TwoFieldSums
    {
        public TVector A0, A1, A2, A3, B0, B1, B2, B3;

        /// <summary>A += ra·x[0..4), B += rb·x[0..4), x four consecutive vectors of a block.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(TVector ra, TVector rb, float* x, int lanes)
        {
            TVector x0 = TOps.Load(x), x1 = TOps.Load(x + lanes), x2 = TOps.Load(x + 2 * lanes), x3 = TOps.Load(x + 3 * lanes);
            A0 = TOps.MultiplyAdd(ra, x0, A0);
            A1 = TOps.MultiplyAdd(ra, x1, A1);
            A2 = TOps.MultiplyAdd(ra, x2, A2);
            A3 = TOps.MultiplyAdd(ra, x3, A3);
            B0 = TOps.MultiplyAdd(rb, x0, B0);
            B1 = TOps.MultiplyAdd(rb, x1, B1);
            B2 = TOps.MultiplyAdd(rb, x2, B2);
            B3 = TOps.MultiplyAdd(rb, x3, B3);
        }

        /// <summary>total + Σ_k e[k]·s_k over four consecutive vectors e.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Dot(float* e, int lanes, TVector s0, TVector s1, TVector s2, TVector s3, TVector total)
        {
            total = TOps.MultiplyAdd(TOps.Load(e), s0, total);
            total = TOps.MultiplyAdd(TOps.Load(e + lanes), s1, total);
            total = TOps.MultiplyAdd(TOps.Load(e + 2 * lanes), s2, total);
            return TOps.MultiplyAdd(TOps.Load(e + 3 * lanes), s3, total);
        }

        /// <summary>target[k] = dy·s_k over four consecutive vectors.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreScaled(TVector dy, TVector s0, TVector s1, TVector s2, TVector s3, float* target, int lanes)
        {
            TOps.Store(TOps.Multiply(dy, s0), target);
            TOps.Store(TOps.Multiply(dy, s1), target + lanes);
            TOps.Store(TOps.Multiply(dy, s2), target + 2 * lanes);
            TOps.Store(TOps.Multiply(dy, s3), target + 3 * lanes);
        }
    }

    /// <summary>A transposed block [F, D', L]: value (field i, dim d, lane l) at (i·D' + d)·L + l.</summary>
    private readonly struct Block(int fieldCount, int dim, int lanes)
    {
        public readonly int FieldCount = fieldCount;
        public readonly int Dim = dim;
        public readonly int Lanes = lanes;
        public readonly int PaddedDim = (dim + DimGroup - 1) / DimGroup * DimGroup;

        public int Floats => FieldCount * PaddedDim * Lanes;

        /// <summary>Samples b0..b0+count of emb [B, F, D] into the block, zeros in padding lanes and dims.</summary>
        public void Transpose(float* emb, int b0, int count, float* block)
        {
            int width = FieldCount * Dim;
            if (count < Lanes || PaddedDim != Dim)
            {
                new Span<float>(block, Floats).Clear();
            }

            for (int s = 0; s < count; s++)
            {
                float* row = emb + (long)(b0 + s) * width;
                for (int i = 0; i < FieldCount; i++)
                {
                    float* target = block + i * PaddedDim * Lanes + s;
                    float* source = row + i * Dim;
                    for (int d = 0; d < Dim; d++)
                    {
                        target[d * Lanes] = source[d];
                    }
                }
            }
        }

        /// <summary>dEmb [B, F, D] += the block's lanes (the inverse of <see cref="Transpose"/>).</summary>
        public void AddBack(float* block, int b0, int count, float* dEmb)
        {
            int width = FieldCount * Dim;
            for (int s = 0; s < count; s++)
            {
                float* row = dEmb + (long)(b0 + s) * width;
                for (int i = 0; i < FieldCount; i++)
                {
                    float* source = block + i * PaddedDim * Lanes + s;
                    float* target = row + i * Dim;
                    for (int d = 0; d < Dim; d++)
                    {
                        target[d] += source[d * Lanes];
                    }
                }
            }
        }
    }
}
