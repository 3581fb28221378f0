using System.Numerics.Tensors;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// OPNN's outer-product signals in the superposition form: with s = Σ_f e_f, the pairwise outer products are summed
/// into one D×D matrix p = s·sᵀ, and each of H kernels W_n [D, D] reads it as out[b,n] = ⟨W_n, p⟩ = sᵀ·W_n·s.
/// Cost O(H·D²) per sample instead of the O(P·D²·H) of one kernel per pair.
/// </summary>
/// <remarks>
/// OPNN (Qu et al., "Product-based Neural Networks for User Response Prediction", ICDM 2016, §3.3: p = Σ_i Σ_j f_i f_jᵀ
/// = f_Σ f_Σᵀ, l_p^n = W_p^n ⊙ p; DeepFM paper seed 003 §III). The sum runs over all i, j including i = j, exactly as
/// the paper's superposition does. Kernels are stored [D, H, D] (W[d1, n, d2] = W_n[d1, d2]) so that T = s·W is one
/// [B, D]×[D, H·D] GEMM for the batch and out[b,n] = Σ_d2 T[b,n,d2]·s[b,d2].
/// </remarks>
public static class OuterProduct
{
    /// <param name="embeddings">[B, F, D].</param>
    /// <param name="kernels">[D, H, D].</param>
    /// <param name="sum">[B, D] scratch kept for backward: s.</param>
    /// <param name="projected">[B, H·D] scratch kept for backward: s·W.</param>
    /// <param name="output">[B, H].</param>
    public static void Forward(ComputeContext compute, ReadOnlySpan<float> embeddings, ReadOnlySpan<float> kernels,
                               int batchSize, int fieldCount, int dim, int kernelCount,
                               Span<float> sum, Span<float> projected, Span<float> output)
    {
        int width = kernelCount * dim;
        SumFields(embeddings, batchSize, fieldCount, dim, sum);
        compute.Multiply(sum, kernels, projected, batchSize, width, dim, transA: false, transB: false, accumulate: false);
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> s = sum.Slice(b * dim, dim);
            for (int n = 0; n < kernelCount; n++)
            {
                ReadOnlySpan<float> t = projected.Slice(b * width + n * dim, dim);
                float y = 0f;
                for (int d = 0; d < dim; d++)
                {
                    y += t[d] * s[d];
                }

                output[b * kernelCount + n] = y;
            }
        }
    }

    /// <param name="sum">From the forward pass.</param>
    /// <param name="projected">From the forward pass.</param>
    /// <param name="dProjected">[B, H·D] scratch.</param>
    /// <param name="dSum">[B, D] scratch.</param>
    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    /// <param name="dKernels">[D, H, D], accumulated.</param>
    public static void Backward(ComputeContext compute, ReadOnlySpan<float> kernels, ReadOnlySpan<float> sum, ReadOnlySpan<float> projected,
                                ReadOnlySpan<float> dOutput, int batchSize, int fieldCount, int dim, int kernelCount,
                                Span<float> dProjected, Span<float> dSum, Span<float> dEmbeddings, Span<float> dKernels)
    {
        int width = kernelCount * dim;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> s = sum.Slice(b * dim, dim);
            Span<float> ds = dSum.Slice(b * dim, dim);
            ds.Clear();
            for (int n = 0; n < kernelCount; n++)
            {
                float g = dOutput[b * kernelCount + n];
                int o = b * width + n * dim;
                for (int d = 0; d < dim; d++)
                {
                    dProjected[o + d] = g * s[d];
                    ds[d] += g * projected[o + d];
                }
            }
        }

        // W is stored [D, H·D] = [n, k] of dSum += dT·Wᵀ, hence transB; s is [B, D] = [k, m] of dW += sᵀ·dT, hence transA.
        compute.Multiply(dProjected, kernels, dSum, batchSize, dim, width, transA: false, transB: true, accumulate: true);
        compute.Multiply(sum, dProjected, dKernels, dim, width, batchSize, transA: true, transB: false, accumulate: true);
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> ds = dSum.Slice(b * dim, dim);
            for (int f = 0; f < fieldCount; f++)
            {
                Span<float> dE = dEmbeddings.Slice((b * fieldCount + f) * dim, dim);
                TensorPrimitives.Add(dE, ds, dE);
            }
        }
    }

    /// <summary>s[b] = Σ_f e[b, f].</summary>
    private static void SumFields(ReadOnlySpan<float> embeddings, int batchSize, int fieldCount, int dim, Span<float> sum)
    {
        for (int b = 0; b < batchSize; b++)
        {
            Span<float> s = sum.Slice(b * dim, dim);
            s.Clear();
            for (int f = 0; f < fieldCount; f++)
            {
                TensorPrimitives.Add(s, embeddings.Slice((b * fieldCount + f) * dim, dim), s);
            }
        }
    }
}
