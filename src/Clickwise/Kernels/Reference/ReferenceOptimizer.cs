using System.Runtime.CompilerServices;

namespace Clickwise.Kernels.Reference;

/// <summary>
/// Element-by-element loops: the specification of <see cref="IOptimizerKernel"/>. The element steps are also the
/// scalar tails of the lane variants (<see cref="Simd.LaneOptimizer{TOps, TVector}"/>), so a tail is the reference.
/// </summary>
public sealed class ReferenceOptimizer : IOptimizerKernel
{
    public string Name => "optimizer-reference";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in AdamCoefficients c)
    {
        KernelChecks.SameLength(w.Length, g.Length, m.Length, v.Length);
        for (int i = 0; i < w.Length; i++)
        {
            AdamElement(ref w[i], g[i], ref m[i], ref v[i], c);
        }
    }

    public void AdamRows(Span<float> w, Span<float> m, Span<float> v, Span<int> steps, ReadOnlySpan<int> rows,
                         ReadOnlySpan<float> grads, int width, in AdamCoefficients c, ReadOnlySpan<float> stepSizes,
                         ReadOnlySpan<float> bc2Sqrt)
    {
        KernelChecks.AdamRows(w.Length, m.Length, v.Length, steps.Length, rows.Length, grads.Length, width);
        for (int k = 0; k < rows.Length; k++)
        {
            int row = rows[k];
            KernelChecks.Row(row, w.Length / width);
            AdamCoefficients rc = c;
            if (!steps.IsEmpty)
            {
                int t = ++steps[row];
                rc = c with { StepSize = stepSizes[t], BiasCorrection2Sqrt = bc2Sqrt[t] };
            }

            int start = row * width;
            Adam(w.Slice(start, width), grads.Slice(k * width, width), m.Slice(start, width), v.Slice(start, width), rc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Adagrad(Span<float> w, ReadOnlySpan<float> g, Span<float> sum, float lr, float l2, float eps)
    {
        KernelChecks.SameLength(w.Length, g.Length, sum.Length, w.Length);
        for (int i = 0; i < w.Length; i++)
        {
            AdagradElement(ref w[i], g[i], ref sum[i], lr, l2, eps);
        }
    }

    public void AdagradRows(Span<float> w, Span<float> sum, ReadOnlySpan<int> rows, ReadOnlySpan<float> grads, int width,
                            float lr, float l2, float eps)
    {
        KernelChecks.OptimizerRows(w.Length, sum.Length, w.Length, rows.Length, grads.Length, width);
        for (int k = 0; k < rows.Length; k++)
        {
            KernelChecks.Row(rows[k], w.Length / width);
            int start = rows[k] * width;
            Adagrad(w.Slice(start, width), grads.Slice(k * width, width), sum.Slice(start, width), lr, l2, eps);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Sgd(Span<float> w, ReadOnlySpan<float> g, float lr, float l2)
    {
        KernelChecks.SameLength(w.Length, g.Length, w.Length, w.Length);
        for (int i = 0; i < w.Length; i++)
        {
            SgdElement(ref w[i], g[i], lr, l2);
        }
    }

    public void Ftrl(Span<float> w, ReadOnlySpan<float> g, Span<float> z, Span<float> n, float alpha, float beta, float l1, float l2)
    {
        KernelChecks.SameLength(w.Length, g.Length, z.Length, n.Length);
        for (int i = 0; i < w.Length; i++)
        {
            FtrlElement(ref w[i], g[i], ref z[i], ref n[i], alpha, beta, l1, l2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AdamElement(ref float w, float g, ref float m, ref float v, in AdamCoefficients c)
    {
        float wi = w;
        float gi = g + c.L2 * wi;
        float mi = c.Beta1 * m + c.OneMinusBeta1 * gi;
        float vi = c.Beta2 * v + c.OneMinusBeta2 * gi * gi;
        float denom = MathF.Sqrt(vi) / c.BiasCorrection2Sqrt + c.Eps;
        w = wi - c.StepSize * mi / denom;
        m = mi;
        v = vi;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AdagradElement(ref float w, float g, ref float sum, float lr, float l2, float eps)
    {
        float wi = w;
        float gi = g + l2 * wi;
        float si = sum + gi * gi;
        w = wi - lr * gi / (MathF.Sqrt(si) + eps);
        sum = si;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SgdElement(ref float w, float g, float lr, float l2)
    {
        float wi = w;
        w = wi - lr * (g + l2 * wi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void FtrlElement(ref float w, float g, ref float z, ref float n, float alpha, float beta, float l1, float l2)
    {
        float ni = n, nNew = ni + g * g;
        float sqrtNew = MathF.Sqrt(nNew);
        float zi = z + g - (sqrtNew - MathF.Sqrt(ni)) / alpha * w;
        z = zi;
        n = nNew;
        w = MathF.Abs(zi) <= l1 ? 0f : -(zi - MathF.CopySign(l1, zi)) / ((beta + sqrtNew) / alpha + l2);
    }
}
