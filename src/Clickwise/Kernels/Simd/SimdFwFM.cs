using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// FwFM vectorised over fields rather than over D (D is 10..20, a poor fit for 16 lanes). Per sample the embedding
/// is transposed to Et [D, F'] (F' = F padded to 16) and Tt = Et·Rsym is built from F·D full-width axpys; then
/// y = ½ Σ_d ⟨Et[d], Tt[d]⟩, dE[i,d] += dy·Tt[d,i], and dR[i, j&gt;i] += dy·Σ_d E[i,d]·Et[d, j].
/// </summary>
public sealed unsafe class SimdFwFM : IFwFMKernel
{
    [ThreadStatic]
    private static float[]? t_scratch;

    public string Name => "fwfm-simd";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<float> emb, ReadOnlySpan<float> pairWeight, int batchSize, int fieldCount, int dim,
                        Span<float> y)
    {
        KernelChecks.FwFM(emb.Length, pairWeight.Length, batchSize, fieldCount, dim, y.Length);
        int padded = PaddedVectorOps.Pad(fieldCount);
        Span<float> scratch = Scratch(padded * (fieldCount + 2 * dim));
        fixed (float* e = emb, r = pairWeight, s = scratch)
        {
            var layout = new Layout(s, fieldCount, dim, padded);
            layout.BuildSymmetric(r);
            for (int b = 0; b < batchSize; b++)
            {
                float* row = e + (nint)b * fieldCount * dim;
                layout.Transform(row);
                float total = 0;
                for (int d = 0; d < dim; d++)
                {
                    total += PaddedVectorOps.Dot(layout.Et + d * padded, layout.Tt + d * padded, padded);
                }

                y[b] = 0.5f * total;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Backward(ReadOnlySpan<float> emb, ReadOnlySpan<float> pairWeight, ReadOnlySpan<float> dY,
                         int batchSize, int fieldCount, int dim, Span<float> dEmb, Span<float> dPairWeight)
    {
        KernelChecks.FwFM(emb.Length, pairWeight.Length, batchSize, fieldCount, dim, dY.Length);
        KernelChecks.Length(dEmb.Length, emb.Length, nameof(dEmb));
        KernelChecks.Length(dPairWeight.Length, pairWeight.Length, nameof(dPairWeight));
        int padded = PaddedVectorOps.Pad(fieldCount);
        Span<float> scratch = Scratch(padded * (2 * fieldCount + 2 * dim));
        scratch.Slice(padded * (fieldCount + 2 * dim)).Clear();
        fixed (float* e = emb, r = pairWeight, s = scratch, de = dEmb)
        {
            var layout = new Layout(s, fieldCount, dim, padded);
            float* dr = s + padded * (fieldCount + 2 * dim);
            layout.BuildSymmetric(r);
            for (int b = 0; b < batchSize; b++)
            {
                float dy = dY[b];
                nint offset = (nint)b * fieldCount * dim;
                float* row = e + offset;
                float* dRow = de + offset;
                layout.Transform(row);
                for (int i = 0; i < fieldCount; i++)
                {
                    for (int d = 0; d < dim; d++)
                    {
                        dRow[i * dim + d] += dy * layout.Tt[d * padded + i];
                    }
                }

                if (Vector512.IsHardwareAccelerated && padded <= 64)
                {
                    AccumulateGramInRegisters(row, layout.Et, dy, fieldCount, dim, padded, dr);
                    continue;
                }

                for (int i = 0; i < fieldCount; i++)
                {
                    // Only j > i of dR is kept: start at the vector holding i + 1.
                    int start = (i + 1) / PaddedVectorOps.Padding * PaddedVectorOps.Padding;
                    float* drRow = dr + i * padded + start;
                    for (int d = 0; d < dim; d++)
                    {
                        PaddedVectorOps.Axpy(dy * row[i * dim + d], layout.Et + d * padded + start, drRow,
                                             padded - start);
                    }
                }
            }

            for (int i = 0; i < fieldCount; i++)
            {
                for (int j = i + 1; j < fieldCount; j++)
                {
                    dPairWeight[i * fieldCount + j] += dr[i * padded + j];
                }
            }
        }
    }

    /// <summary>
    /// dR[i, :] += dy·Σ_d E[i,d]·Et[d, :] with the Gram row in up to 4 zmm, one read-modify-write of dR per i
    /// (the axpy form wrote dR D times per i and waited on store-to-load forwarding each time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateGramInRegisters(float* row, float* et, float dy, int fieldCount, int dim, int padded,
                                                  float* dr)
    {
        int vectors = padded / 16;
        for (int i = 0; i < fieldCount; i++)
        {
            Vector512<float> g0 = default, g1 = default, g2 = default, g3 = default;
            float* e = row + i * dim;
            for (int d = 0; d < dim; d++)
            {
                var v = Vector512.Create(e[d]);
                float* t = et + d * padded;
                g0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(t), g0);
                if (vectors > 1)
                {
                    g1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(t + 16), g1);
                }

                if (vectors > 2)
                {
                    g2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(t + 32), g2);
                }

                if (vectors > 3)
                {
                    g3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(t + 48), g3);
                }
            }

            var scale = Vector512.Create(dy);
            float* target = dr + i * padded;
            Vector512.FusedMultiplyAdd(scale, g0, Vector512.Load(target)).Store(target);
            if (vectors > 1)
            {
                Vector512.FusedMultiplyAdd(scale, g1, Vector512.Load(target + 16)).Store(target + 16);
            }

            if (vectors > 2)
            {
                Vector512.FusedMultiplyAdd(scale, g2, Vector512.Load(target + 32)).Store(target + 32);
            }

            if (vectors > 3)
            {
                Vector512.FusedMultiplyAdd(scale, g3, Vector512.Load(target + 48)).Store(target + 48);
            }
        }
    }

    private static Span<float> Scratch(int length)
    {
        float[] scratch = t_scratch is { } s && s.Length >= length ? s : t_scratch = new float[length];
        return scratch.AsSpan(0, length);
    }

    /// <summary>Views into the scratch: Rsym [F, F'], Et [D, F'], Tt [D, F'] (padding columns stay zero).</summary>
    private readonly struct Layout(float* scratch, int fieldCount, int dim, int padded)
    {
        public readonly float* Rsym = scratch;
        public readonly float* Et = scratch + padded * fieldCount;
        public readonly float* Tt = scratch + padded * (fieldCount + dim);

        public void BuildSymmetric(float* pairWeight)
        {
            new Span<float>(Rsym, padded * (fieldCount + 2 * dim)).Clear();
            for (int i = 0; i < fieldCount; i++)
            {
                for (int j = i + 1; j < fieldCount; j++)
                {
                    float w = pairWeight[i * fieldCount + j];
                    Rsym[i * padded + j] = w;
                    Rsym[j * padded + i] = w;
                }
            }
        }

        /// <summary>Et = rowᵀ, Tt = Et·Rsym (Rsym symmetric, so row j of it is column j).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Transform(float* row)
        {
            if (Vector512.IsHardwareAccelerated && padded is > 0 and <= 64)
            {
                TransformInRegisters(row);
                return;
            }

            new Span<float>(Tt, padded * dim).Clear();
            for (int j = 0; j < fieldCount; j++)
            {
                float* rsymRow = Rsym + j * padded;
                for (int d = 0; d < dim; d++)
                {
                    float v = row[j * dim + d];
                    Et[d * padded + j] = v;
                    PaddedVectorOps.Axpy(v, rsymRow, Tt + d * padded, padded);
                }
            }
        }

        /// <summary>
        /// For F ≤ 64 a row of Tt is at most 4 zmm: accumulate it in registers over j instead of a load-FMA-store
        /// per (j, d), which ran into store-to-load forwarding on every step.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void TransformInRegisters(float* row)
        {
            for (int j = 0; j < fieldCount; j++)
            {
                for (int d = 0; d < dim; d++)
                {
                    Et[d * padded + j] = row[j * dim + d];
                }
            }

            int vectors = padded / 16;
            for (int d = 0; d < dim; d++)
            {
                Vector512<float> t0 = default, t1 = default, t2 = default, t3 = default;
                float* e = row + d;
                float* r = Rsym;
                for (int j = 0; j < fieldCount; j++, e += dim, r += padded)
                {
                    var v = Vector512.Create(*e);
                    t0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r), t0);
                    if (vectors > 1)
                    {
                        t1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 16), t1);
                    }

                    if (vectors > 2)
                    {
                        t2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 32), t2);
                    }

                    if (vectors > 3)
                    {
                        t3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(r + 48), t3);
                    }
                }

                float* t = Tt + d * padded;
                t0.Store(t);
                if (vectors > 1)
                {
                    t1.Store(t + 16);
                }

                if (vectors > 2)
                {
                    t2.Store(t + 32);
                }

                if (vectors > 3)
                {
                    t3.Store(t + 48);
                }
            }
        }
    }
}
