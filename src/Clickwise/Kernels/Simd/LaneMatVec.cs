using System.Runtime.CompilerServices;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// Batch-1 y = x·W + b (+ReLU) with W [in, out]: outputs live in vector accumulators across the whole input loop,
/// so there are no horizontal sums; bias seeds the accumulators and ReLU is fused into the store. One body for every
/// lane width (<see cref="Lanes512"/>, <see cref="Lanes256"/>, <see cref="LanesScalar"/>).
/// </summary>
public sealed unsafe class LaneMatVec<TOps, TVector> : IMatVec
    where TOps : struct, ILaneOps<TVector>
    where TVector : unmanaged
{
    public string Name => TOps.Count == 1 ? "matvec-scalar" : $"matvec-v{TOps.Count * 32}";

    public void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
                         int inputSize, int outputSize, bool relu)
    {
        KernelChecks.MatVec(x, weight, bias, y, inputSize, outputSize);
        fixed (float* px = x, pw = weight, pb = bias, py = y)
        {
            Multiply(px, pw, bias.IsEmpty ? null : pb, py, inputSize, outputSize, relu);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply(float* x, float* w, float* bias, float* y, int inputSize, int outputSize, bool relu)
    {
        int lanes = TOps.Count;
        int o = 0;
        // Wide chunks first: each W row segment is read once and x is re-broadcast per chunk, so chunking costs no
        // extra weight traffic. 16 accumulators where 32 vector registers hold them beside the loads (AVX-512), else 8.
        // The 16 are locals: two Accumulators in one loop measured ~5% slower (the JIT keeps fewer in registers).
        if (TOps.Count == 16)
        {
            for (; o + 16 * lanes <= outputSize; o += 16 * lanes)
            {
                float* bo = bias == null ? null : bias + o;
                TVector a0 = Seed(bo, 0), a1 = Seed(bo, 1), a2 = Seed(bo, 2), a3 = Seed(bo, 3);
                TVector a4 = Seed(bo, 4), a5 = Seed(bo, 5), a6 = Seed(bo, 6), a7 = Seed(bo, 7);
                TVector a8 = Seed(bo, 8), a9 = Seed(bo, 9), a10 = Seed(bo, 10), a11 = Seed(bo, 11);
                TVector a12 = Seed(bo, 12), a13 = Seed(bo, 13), a14 = Seed(bo, 14), a15 = Seed(bo, 15);
                float* wo = w + o;
                for (int i = 0; i < inputSize; i++, wo += outputSize)
                {
                    TVector xi = TOps.Broadcast(x[i]);
                    a0 = TOps.MultiplyAdd(xi, TOps.Load(wo + 0 * lanes), a0);
                    a1 = TOps.MultiplyAdd(xi, TOps.Load(wo + 1 * lanes), a1);
                    a2 = TOps.MultiplyAdd(xi, TOps.Load(wo + 2 * lanes), a2);
                    a3 = TOps.MultiplyAdd(xi, TOps.Load(wo + 3 * lanes), a3);
                    a4 = TOps.MultiplyAdd(xi, TOps.Load(wo + 4 * lanes), a4);
                    a5 = TOps.MultiplyAdd(xi, TOps.Load(wo + 5 * lanes), a5);
                    a6 = TOps.MultiplyAdd(xi, TOps.Load(wo + 6 * lanes), a6);
                    a7 = TOps.MultiplyAdd(xi, TOps.Load(wo + 7 * lanes), a7);
                    a8 = TOps.MultiplyAdd(xi, TOps.Load(wo + 8 * lanes), a8);
                    a9 = TOps.MultiplyAdd(xi, TOps.Load(wo + 9 * lanes), a9);
                    a10 = TOps.MultiplyAdd(xi, TOps.Load(wo + 10 * lanes), a10);
                    a11 = TOps.MultiplyAdd(xi, TOps.Load(wo + 11 * lanes), a11);
                    a12 = TOps.MultiplyAdd(xi, TOps.Load(wo + 12 * lanes), a12);
                    a13 = TOps.MultiplyAdd(xi, TOps.Load(wo + 13 * lanes), a13);
                    a14 = TOps.MultiplyAdd(xi, TOps.Load(wo + 14 * lanes), a14);
                    a15 = TOps.MultiplyAdd(xi, TOps.Load(wo + 15 * lanes), a15);
                }

                Store(a0, y + o + 0 * lanes, relu);
                Store(a1, y + o + 1 * lanes, relu);
                Store(a2, y + o + 2 * lanes, relu);
                Store(a3, y + o + 3 * lanes, relu);
                Store(a4, y + o + 4 * lanes, relu);
                Store(a5, y + o + 5 * lanes, relu);
                Store(a6, y + o + 6 * lanes, relu);
                Store(a7, y + o + 7 * lanes, relu);
                Store(a8, y + o + 8 * lanes, relu);
                Store(a9, y + o + 9 * lanes, relu);
                Store(a10, y + o + 10 * lanes, relu);
                Store(a11, y + o + 11 * lanes, relu);
                Store(a12, y + o + 12 * lanes, relu);
                Store(a13, y + o + 13 * lanes, relu);
                Store(a14, y + o + 14 * lanes, relu);
                Store(a15, y + o + 15 * lanes, relu);
            }
        }

        for (; o + 8 * lanes <= outputSize; o += 8 * lanes)
        {
            var chunk = new Accumulators(bias, o);
            float* wo = w + o;
            for (int i = 0; i < inputSize; i++, wo += outputSize)
            {
                chunk.Add(TOps.Broadcast(x[i]), wo);
            }

            chunk.Store(y + o, relu);
        }

        for (; o + lanes <= outputSize; o += lanes)
        {
            // Two partial sums over even and odd inputs halve the FMA latency chain of a lone vector.
            TVector a = bias == null ? TOps.Zero : TOps.Load(bias + o), b = TOps.Zero;
            float* wo = w + o;
            int i = 0;
            for (; i + 1 < inputSize; i += 2, wo += 2 * outputSize)
            {
                a = TOps.MultiplyAdd(TOps.Broadcast(x[i]), TOps.Load(wo), a);
                b = TOps.MultiplyAdd(TOps.Broadcast(x[i + 1]), TOps.Load(wo + outputSize), b);
            }

            if (i < inputSize)
            {
                a = TOps.MultiplyAdd(TOps.Broadcast(x[i]), TOps.Load(wo), a);
            }

            Store(TOps.Add(a, b), y + o, relu);
        }

        // Only vector widths leave a tail (the scalar lane covers every output above).
        for (; o < outputSize; o++)
        {
            float sum = bias == null ? 0f : bias[o];
            for (int i = 0; i < inputSize; i++)
            {
                sum += x[i] * w[(nint)i * outputSize + o];
            }

            y[o] = relu ? MathF.Max(sum, 0f) : sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Seed(float* bias, int k) => bias == null ? TOps.Zero : TOps.Load(bias + k * TOps.Count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(TVector a, float* y, bool relu) => TOps.Store(relu ? TOps.Max(a, TOps.Zero) : a, y);

    /// <summary>Eight consecutive output vectors, held in registers across the input loop.</summary>
    private struct Accumulators
    {
        private TVector _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7;

        /// <summary>Seeded with bias[start..] (zero without a bias).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Accumulators(float* bias, int start)
        {
            if (bias != null)
            {
                float* b = bias + start;
                int lanes = TOps.Count;
                _a0 = TOps.Load(b + 0 * lanes);
                _a1 = TOps.Load(b + 1 * lanes);
                _a2 = TOps.Load(b + 2 * lanes);
                _a3 = TOps.Load(b + 3 * lanes);
                _a4 = TOps.Load(b + 4 * lanes);
                _a5 = TOps.Load(b + 5 * lanes);
                _a6 = TOps.Load(b + 6 * lanes);
                _a7 = TOps.Load(b + 7 * lanes);
            }
        }

        /// <summary>+= xi · w[0 .. 8 vectors].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(TVector xi, float* w)
        {
            int lanes = TOps.Count;
            _a0 = TOps.MultiplyAdd(xi, TOps.Load(w + 0 * lanes), _a0);
            _a1 = TOps.MultiplyAdd(xi, TOps.Load(w + 1 * lanes), _a1);
            _a2 = TOps.MultiplyAdd(xi, TOps.Load(w + 2 * lanes), _a2);
            _a3 = TOps.MultiplyAdd(xi, TOps.Load(w + 3 * lanes), _a3);
            _a4 = TOps.MultiplyAdd(xi, TOps.Load(w + 4 * lanes), _a4);
            _a5 = TOps.MultiplyAdd(xi, TOps.Load(w + 5 * lanes), _a5);
            _a6 = TOps.MultiplyAdd(xi, TOps.Load(w + 6 * lanes), _a6);
            _a7 = TOps.MultiplyAdd(xi, TOps.Load(w + 7 * lanes), _a7);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Store(float* y, bool relu)
        {
            int lanes = TOps.Count;
            LaneMatVec<TOps, TVector>.Store(_a0, y + 0 * lanes, relu);
            LaneMatVec<TOps, TVector>.Store(_a1, y + 1 * lanes, relu);
            LaneMatVec<TOps, TVector>.Store(_a2, y + 2 * lanes, relu);
            LaneMatVec<TOps, TVector>.Store(_a3, y + 3 * lanes, relu);
            LaneMatVec<TOps, TVector>.Store(_a4, y + 4 * lanes, relu);
            LaneMatVec<TOps, TVector>.Store(_a5, y + 5 * lanes, relu);
            LaneMatVec<TOps, TVector>.Store(_a6, y + 6 * lanes, relu);
            LaneMatVec<TOps, TVector>.Store(_a7, y + 7 * lanes, relu);
        }
    }
}
