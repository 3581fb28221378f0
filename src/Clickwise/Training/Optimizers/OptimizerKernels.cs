using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Clickwise.Training.Optimizers;

/// <summary>
/// Fused element-wise updates, one pass over w, g and the slots. The vector body and the scalar tail use the
/// same operations in the same order without FMA, so results do not depend on the vector width or on where a
/// row starts: a row updated alone equals the same elements updated inside a dense array.
/// </summary>
public static class OptimizerKernels
{
    /// <summary>
    /// Adam (PyTorch order): g' = g + λw; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'·g';
    /// w = w − (stepSize·m) / (√v / √bc2 + ε), with stepSize = lr / bc1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in AdamCoefficients c)
    {
        int n = w.Length;
        if (g.Length != n || m.Length != n || v.Length != n)
        {
            throw new ArgumentException("w, g, m and v differ in length.");
        }

        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var l2 = new Vector<float>(c.L2);
            var b1 = new Vector<float>(c.Beta1);
            var ob1 = new Vector<float>(c.OneMinusBeta1);
            var b2 = new Vector<float>(c.Beta2);
            var ob2 = new Vector<float>(c.OneMinusBeta2);
            var bc2 = new Vector<float>(c.BiasCorrection2Sqrt);
            var eps = new Vector<float>(c.Eps);
            var step = new Vector<float>(c.StepSize);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> wi = Vector.LoadUnsafe(ref wr, (nuint)i);
                Vector<float> gi = Vector.LoadUnsafe(ref gr, (nuint)i) + l2 * wi;
                Vector<float> mi = b1 * Vector.LoadUnsafe(ref mr, (nuint)i) + ob1 * gi;
                Vector<float> vi = b2 * Vector.LoadUnsafe(ref vr, (nuint)i) + ob2 * gi * gi;
                Vector<float> denom = Vector.SquareRoot(vi) / bc2 + eps;
                (wi - step * mi / denom).StoreUnsafe(ref wr, (nuint)i);
                mi.StoreUnsafe(ref mr, (nuint)i);
                vi.StoreUnsafe(ref vr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            float wi = Unsafe.Add(ref wr, i);
            float gi = Unsafe.Add(ref gr, i) + c.L2 * wi;
            float mi = c.Beta1 * Unsafe.Add(ref mr, i) + c.OneMinusBeta1 * gi;
            float vi = c.Beta2 * Unsafe.Add(ref vr, i) + c.OneMinusBeta2 * gi * gi;
            float denom = MathF.Sqrt(vi) / c.BiasCorrection2Sqrt + c.Eps;
            Unsafe.Add(ref wr, i) = wi - c.StepSize * mi / denom;
            Unsafe.Add(ref mr, i) = mi;
            Unsafe.Add(ref vr, i) = vi;
        }
    }

    /// <summary>FTRL-Proximal per coordinate (see <see cref="Optimizers.Ftrl"/>); scalar: it serves LR-sized tables.</summary>
    public static void Ftrl(Span<float> w, ReadOnlySpan<float> g, Span<float> z, Span<float> n, float alpha, float beta, float l1, float l2)
    {
        if (g.Length != w.Length || z.Length != w.Length || n.Length != w.Length)
        {
            throw new ArgumentException("w, g, z and n differ in length.");
        }

        for (int i = 0; i < w.Length; i++)
        {
            float gi = g[i], ni = n[i], nNew = ni + gi * gi;
            float sqrtNew = MathF.Sqrt(nNew);
            float zi = z[i] + gi - (sqrtNew - MathF.Sqrt(ni)) / alpha * w[i];
            z[i] = zi;
            n[i] = nNew;
            w[i] = MathF.Abs(zi) <= l1 ? 0f : -(zi - MathF.CopySign(l1, zi)) / ((beta + sqrtNew) / alpha + l2);
        }
    }

    /// <summary>Adagrad (PyTorch order): g' = g + λw; s += g'·g'; w = w − (lr·g') / (√s + ε).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Adagrad(Span<float> w, ReadOnlySpan<float> g, Span<float> sum, float lr, float l2, float eps)
    {
        int n = w.Length;
        if (g.Length != n || sum.Length != n)
        {
            throw new ArgumentException("w, g and sum differ in length.");
        }

        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float sr = ref MemoryMarshal.GetReference(sum);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var l2v = new Vector<float>(l2);
            var lrv = new Vector<float>(lr);
            var epsv = new Vector<float>(eps);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> wi = Vector.LoadUnsafe(ref wr, (nuint)i);
                Vector<float> gi = Vector.LoadUnsafe(ref gr, (nuint)i) + l2v * wi;
                Vector<float> si = Vector.LoadUnsafe(ref sr, (nuint)i) + gi * gi;
                (wi - lrv * gi / (Vector.SquareRoot(si) + epsv)).StoreUnsafe(ref wr, (nuint)i);
                si.StoreUnsafe(ref sr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            float wi = Unsafe.Add(ref wr, i);
            float gi = Unsafe.Add(ref gr, i) + l2 * wi;
            float si = Unsafe.Add(ref sr, i) + gi * gi;
            Unsafe.Add(ref wr, i) = wi - lr * gi / (MathF.Sqrt(si) + eps);
            Unsafe.Add(ref sr, i) = si;
        }
    }

    /// <summary>Plain SGD: w = w − lr·(g + λw).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sgd(Span<float> w, ReadOnlySpan<float> g, float lr, float l2)
    {
        int n = w.Length;
        if (g.Length != n)
        {
            throw new ArgumentException("w and g differ in length.");
        }

        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float gr = ref MemoryMarshal.GetReference(g);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var l2v = new Vector<float>(l2);
            var lrv = new Vector<float>(lr);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> wi = Vector.LoadUnsafe(ref wr, (nuint)i);
                (wi - lrv * (Vector.LoadUnsafe(ref gr, (nuint)i) + l2v * wi)).StoreUnsafe(ref wr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            float wi = Unsafe.Add(ref wr, i);
            Unsafe.Add(ref wr, i) = wi - lr * (Unsafe.Add(ref gr, i) + l2 * wi);
        }
    }
}
