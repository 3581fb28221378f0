using System.Runtime.CompilerServices;

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
                    // Only j > i of dR is kept: start at the vector holding i + 1.
                    int start = (i + 1) / PaddedVectorOps.Padding * PaddedVectorOps.Padding;
                    float* drRow = dr + i * padded + start;
                    for (int d = 0; d < dim; d++)
                    {
                        dRow[i * dim + d] += dy * layout.Tt[d * padded + i];
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
    }
}
