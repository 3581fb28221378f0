using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Clickwise.Kernels.Reference;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// The optimizer updates (<see cref="IOptimizerKernel"/>) one vector of elements at a time, the reference's
/// element steps (<see cref="ReferenceOptimizer"/>) for the tail: the same operations in the same order without
/// FMA, so every width gives the reference's bits. One body for every lane width (<see cref="Lanes512"/>,
/// <see cref="Lanes256"/>; the reference is the scalar one); the 16-lane variant runs 8-lane vectors over what is left,
/// since an embedding row of D = 10 holds no 16-float vector. FTRL runs the reference's element loop: its branch per
/// coordinate serves LR-sized tables, where the update is not the cost.
/// </summary>
public sealed class LaneOptimizer<TOps, TVector> : IOptimizerKernel
    where TOps : struct, ILaneOps<TVector>
    where TVector : unmanaged
{
    private static readonly ReferenceOptimizer Reference = new();

    public string Name => TOps.Count == 1 ? "optimizer-scalar" : $"optimizer-v{TOps.Count * 32}";

    // Spans as refs, not pinned pointers: an embedding row (D = 10) is one call, where pinning four spans cost ~15%.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in AdamCoefficients c)
    {
        KernelChecks.SameLength(w.Length, g.Length, m.Length, v.Length);
        AdamRow(ref MemoryMarshal.GetReference(w), ref MemoryMarshal.GetReference(g), ref MemoryMarshal.GetReference(m),
            ref MemoryMarshal.GetReference(v), w.Length, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void AdamRows(Span<float> w, Span<float> m, Span<float> v, Span<int> steps, ReadOnlySpan<int> rows,
                                ReadOnlySpan<float> grads, int width, in AdamCoefficients c, ReadOnlySpan<float> stepSizes,
                                ReadOnlySpan<float> bc2Sqrt)
    {
        KernelChecks.AdamRows(w.Length, m.Length, v.Length, steps.Length, rows.Length, grads.Length, width);
        ref float g0 = ref MemoryMarshal.GetReference(grads);
        int tableRows = w.Length / width;
        bool ownSteps = !steps.IsEmpty;
        fixed (float* pw = w, pm = m, pv = v)
        fixed (int* pt = steps)
        {
            for (int k = 0; k < rows.Length; k++)
            {
                // Touched rows are scattered over a table far larger than the caches: fetch a few rows ahead.
                if (k + CachePrefetch.Distance < rows.Length)
                {
                    int ahead = rows[k + CachePrefetch.Distance];
                    if ((uint)ahead < (uint)tableRows)
                    {
                        long at = (long)ahead * width;
                        CachePrefetch.Row(pw, at, width);
                        CachePrefetch.Row(pm, at, width);
                        CachePrefetch.Row(pv, at, width);
                        if (ownSteps)
                        {
                            CachePrefetch.Element(pt + ahead);
                        }
                    }
                }

                int row = rows[k];
                KernelChecks.Row(row, tableRows);
                AdamCoefficients rc = c;
                if (ownSteps)
                {
                    int t = ++steps[row];
                    rc = c with { StepSize = stepSizes[t], BiasCorrection2Sqrt = bc2Sqrt[t] };
                }

                nuint start = (nuint)row * (nuint)width;
                AdamRow(ref pw[start], ref Unsafe.Add(ref g0, (nuint)k * (nuint)width), ref pm[start], ref pv[start], width, rc);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AdamRow(ref float w0, ref float g0, ref float m0, ref float v0, int count, in AdamCoefficients c)
    {
        int i = AdamVectors(ref w0, in g0, ref m0, ref v0, 0, count, c);
        if (TOps.Count > Lanes256.Count && Vector256.IsHardwareAccelerated)
        {
            i = LaneOptimizer<Lanes256, Vector256<float>>.AdamVectors(ref w0, in g0, ref m0, ref v0, i, count, c);
        }

        for (; i < count; i++)
        {
            ReferenceOptimizer.AdamElement(ref Unsafe.Add(ref w0, i), Unsafe.Add(ref g0, i), ref Unsafe.Add(ref m0, i),
                ref Unsafe.Add(ref v0, i), c);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Adagrad(Span<float> w, ReadOnlySpan<float> g, Span<float> sum, float lr, float l2, float eps)
    {
        KernelChecks.SameLength(w.Length, g.Length, sum.Length, w.Length);
        AdagradRow(ref MemoryMarshal.GetReference(w), ref MemoryMarshal.GetReference(g), ref MemoryMarshal.GetReference(sum),
            w.Length, lr, l2, eps);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void AdagradRows(Span<float> w, Span<float> sum, ReadOnlySpan<int> rows, ReadOnlySpan<float> grads, int width,
                                   float lr, float l2, float eps)
    {
        KernelChecks.OptimizerRows(w.Length, sum.Length, w.Length, rows.Length, grads.Length, width);
        int tableRows = w.Length / width;
        ref float g0 = ref MemoryMarshal.GetReference(grads);
        fixed (float* pw = w, ps = sum)
        {
            for (int k = 0; k < rows.Length; k++)
            {
                if (k + CachePrefetch.Distance < rows.Length && (uint)rows[k + CachePrefetch.Distance] < (uint)tableRows)
                {
                    long at = (long)rows[k + CachePrefetch.Distance] * width;
                    CachePrefetch.Row(pw, at, width);
                    CachePrefetch.Row(ps, at, width);
                }

                int row = rows[k];
                KernelChecks.Row(row, tableRows);

                nuint start = (nuint)row * (nuint)width;
                AdagradRow(ref pw[start], ref Unsafe.Add(ref g0, (nuint)k * (nuint)width), ref ps[start], width, lr, l2, eps);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AdagradRow(ref float w0, ref float g0, ref float s0, int count, float lr, float l2, float eps)
    {
        int i = AdagradVectors(ref w0, in g0, ref s0, 0, count, lr, l2, eps);
        if (TOps.Count > Lanes256.Count && Vector256.IsHardwareAccelerated)
        {
            i = LaneOptimizer<Lanes256, Vector256<float>>.AdagradVectors(ref w0, in g0, ref s0, i, count, lr, l2, eps);
        }

        for (; i < count; i++)
        {
            ReferenceOptimizer.AdagradElement(ref Unsafe.Add(ref w0, i), Unsafe.Add(ref g0, i), ref Unsafe.Add(ref s0, i), lr, l2, eps);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Sgd(Span<float> w, ReadOnlySpan<float> g, float lr, float l2)
    {
        KernelChecks.SameLength(w.Length, g.Length, w.Length, w.Length);
        ref float w0 = ref MemoryMarshal.GetReference(w);
        ref float g0 = ref MemoryMarshal.GetReference(g);
        int i = SgdVectors(ref w0, in g0, 0, w.Length, lr, l2);
        if (TOps.Count > Lanes256.Count && Vector256.IsHardwareAccelerated)
        {
            i = LaneOptimizer<Lanes256, Vector256<float>>.SgdVectors(ref w0, in g0, i, w.Length, lr, l2);
        }

        for (; i < w.Length; i++)
        {
            ReferenceOptimizer.SgdElement(ref Unsafe.Add(ref w0, i), Unsafe.Add(ref g0, i), lr, l2);
        }
    }

    public void Ftrl(Span<float> w, ReadOnlySpan<float> g, Span<float> z, Span<float> n, float alpha, float beta, float l1, float l2) =>
        Reference.Ftrl(w, g, z, n, alpha, beta, l1, l2);

    /// <summary>Adam over the whole vectors of elements [<paramref name="from"/>, <paramref name="count"/>); returns where they end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int AdamVectors(ref float w, ref readonly float g, ref float m, ref float v, int from, int count, in AdamCoefficients c)
    {
        if (count - from < TOps.Count)
        {
            return from; // a short row: no broadcasts
        }

        TVector l2 = TOps.Broadcast(c.L2), b1 = TOps.Broadcast(c.Beta1), ob1 = TOps.Broadcast(c.OneMinusBeta1);
        TVector b2 = TOps.Broadcast(c.Beta2), ob2 = TOps.Broadcast(c.OneMinusBeta2);
        TVector bc2 = TOps.Broadcast(c.BiasCorrection2Sqrt), eps = TOps.Broadcast(c.Eps), step = TOps.Broadcast(c.StepSize);
        int i = from;
        for (; i <= count - TOps.Count; i += TOps.Count)
        {
            nuint at = (nuint)i;
            TVector wi = TOps.Load(in w, at);
            TVector gi = TOps.Add(TOps.Load(in g, at), TOps.Multiply(l2, wi));
            TVector mi = TOps.Add(TOps.Multiply(b1, TOps.Load(in m, at)), TOps.Multiply(ob1, gi));
            TVector vi = TOps.Add(TOps.Multiply(b2, TOps.Load(in v, at)), TOps.Multiply(TOps.Multiply(ob2, gi), gi));
            TVector denom = TOps.Add(TOps.Divide(TOps.Sqrt(vi), bc2), eps);
            TOps.Store(TOps.Subtract(wi, TOps.Divide(TOps.Multiply(step, mi), denom)), ref w, at);
            TOps.Store(mi, ref m, at);
            TOps.Store(vi, ref v, at);
        }

        return i;
    }

    /// <summary>Adagrad over whole vectors, as <see cref="AdamVectors"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int AdagradVectors(ref float w, ref readonly float g, ref float sum, int from, int count, float lr, float l2, float eps)
    {
        if (count - from < TOps.Count)
        {
            return from; // a short row: no broadcasts
        }

        TVector l2v = TOps.Broadcast(l2), lrv = TOps.Broadcast(lr), epsv = TOps.Broadcast(eps);
        int i = from;
        for (; i <= count - TOps.Count; i += TOps.Count)
        {
            nuint at = (nuint)i;
            TVector wi = TOps.Load(in w, at);
            TVector gi = TOps.Add(TOps.Load(in g, at), TOps.Multiply(l2v, wi));
            TVector si = TOps.Add(TOps.Load(in sum, at), TOps.Multiply(gi, gi));
            TOps.Store(TOps.Subtract(wi, TOps.Divide(TOps.Multiply(lrv, gi), TOps.Add(TOps.Sqrt(si), epsv))), ref w, at);
            TOps.Store(si, ref sum, at);
        }

        return i;
    }

    /// <summary>SGD over whole vectors, as <see cref="AdamVectors"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int SgdVectors(ref float w, ref readonly float g, int from, int count, float lr, float l2)
    {
        if (count - from < TOps.Count)
        {
            return from; // a short row: no broadcasts
        }

        TVector l2v = TOps.Broadcast(l2), lrv = TOps.Broadcast(lr);
        int i = from;
        for (; i <= count - TOps.Count; i += TOps.Count)
        {
            nuint at = (nuint)i;
            TVector wi = TOps.Load(in w, at);
            TOps.Store(TOps.Subtract(wi, TOps.Multiply(lrv, TOps.Add(TOps.Load(in g, at), TOps.Multiply(l2v, wi)))), ref w, at);
        }

        return i;
    }
}
