using System.Runtime.CompilerServices;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// Cache-blocked GEMM, generic over the register tile. B is packed into 32-wide zero-padded panels (one K block of
/// them stays in L2; B's transpose is absorbed there), once per call or once for good (<see cref="PackedPanels"/>,
/// inference weights). A is read in place: the micro-kernel takes A's row and k strides, so row-major A (forward,
/// backward-data) and transposed A (backward-weights) need no packing pass; a row slice of Rows × kc stays in L1
/// across all panels, and only the last, partial slice is copied (zero padded). Work is split over
/// the caller's thread count by fixed row (or column) ranges, and every element of C sees the same K-block
/// order whatever the split, so results are identical for any thread count.
/// </summary>
internal sealed unsafe class PackedGemm<TKernel>(PackedGemmBlocking? blocking = null) : IBlockedGemm
    where TKernel : struct, IGemmMicroKernel
{
    private readonly Job _job = new();

    public string Name => TKernel.Name;

    public PackedGemmBlocking Blocking { get; } = blocking ?? PackedGemmBlocking.Default;

    public IGemm WithBlocking(PackedGemmBlocking other) => new PackedGemm<TKernel>(other);

    public void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
                         int m, int n, int k, bool transA, bool transB, bool accumulate, int threads)
    {
        if (m < 0 || n < 0 || k < 0 || a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
        {
            throw new ArgumentException($"GEMM operands too small for m={m} n={n} k={k}.");
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(m * n)].Clear();
            }

            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            var args = new GemmArgs(Blocking, pa, pb, pc, m, n, k, transA, transB, accumulate);
            int rowUnits = (m + TKernel.Rows - 1) / TKernel.Rows;
            int colUnits = (n + PackedGemmLayout.ColumnUnit - 1) / PackedGemmLayout.ColumnUnit;
            // A is read in place but B is packed by every part for its columns: with a long K (the weight
            // gradient's batch) a row split would pack all of B once per thread, a column split packs it once.
            bool byRows = k <= Blocking.KBlockSingle ? rowUnits * 2 >= colUnits : colUnits < threads;
            int parts = Math.Min(threads, byRows ? rowUnits : colUnits);
            ComputePool pool = ComputePool.Shared;
            if (parts > 1 && (long)m * n * k > PackedGemmLayout.SingleThreadLimit && pool.TryEnter())
            {
                try
                {
                    _job.Args = args;
                    _job.ByRows = byRows;
                    pool.Run(_job, parts);
                }
                finally
                {
                    pool.Exit();
                }
            }
            else
            {
                Compute(args, 0, m, 0, n);
            }
        }
    }

    /// <summary>Prepares W [in, out] as packed panels, so inference never packs B per call.</summary>
    public IDenseProduct PrepareDense(float[] weight, float[] bias, int inputSize, int outputSize, bool relu) =>
        new PackedDenseProduct<TKernel>(weight, bias, inputSize, outputSize, relu, Blocking);

    /// <summary>Packs op(B) [k, n] whole, in the K blocks <see cref="Compute"/> uses for this K.</summary>
    internal static PackedPanels Pack(float* b, int k, int n, bool transB, PackedGemmBlocking blocking)
    {
        const int nr = PackedGemmLayout.PanelWidth;
        var packed = new PackedPanels(k, n, blocking.KBlock(k));
        var g = new GemmArgs(blocking, null, b, null, 0, n, k, transA: false, transB, accumulate: false);
        for (int pc = 0; pc < k; pc += packed.KBlock)
        {
            int kc = Math.Min(packed.KBlock, k - pc);
            for (int panel = 0; panel < packed.Panels; panel++)
            {
                int j = panel * nr;
                PackB(g, pc, kc, j, Math.Min(nr, n - j), packed.Block(pc) + (nint)panel * kc * nr);
            }
        }

        return packed;
    }

    /// <summary>y [rows, N] = x [rows, K]·B + bias, then ReLU, on the calling thread, B prepacked.</summary>
    internal static void MultiplyPacked(float* x, int rows, PackedPanels b, float* bias, bool relu, float* y, PackedGemmBlocking blocking)
    {
        if (rows > 0)
        {
            Compute(new GemmArgs(blocking, x, null, y, rows, b.N, b.K, transA: false, transB: false, accumulate: false, b, bias, relu),
                    0, rows, 0, b.N);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compute(in GemmArgs g, int rowStart, int rowEnd, int colStart, int colEnd)
    {
        const int nr = PackedGemmLayout.PanelWidth;
        int mr = TKernel.Rows;
        GemmScratch scratch = GemmScratch.Current;
        int kcMax = g.Packed?.KBlock ?? g.Blocking.KBlock(g.K);
        int ncMax = g.Blocking.NBlock(kcMax);
        float* edgeA = scratch.PackedA(kcMax * mr);
        for (int jc = colStart; jc < colEnd; jc += ncMax)
        {
            int nc = Math.Min(ncMax, colEnd - jc);
            int panels = (nc + nr - 1) / nr;
            for (int pc = 0; pc < g.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, g.K - pc);
                bool load = g.Accumulate || pc > 0;
                bool last = pc + kc == g.K;
                float* bias = last ? g.Bias : null;
                bool relu = last && g.Relu;
                float* packedB;
                if (g.Packed is null)
                {
                    packedB = scratch.PackedB(kcMax * panels * nr);
                    for (int panel = 0; panel < panels; panel++)
                    {
                        int j = jc + panel * nr;
                        PackB(g, pc, kc, j, Math.Min(nr, colEnd - j), packedB + panel * kc * nr);
                    }
                }
                else
                {
                    packedB = g.Packed.Block(pc) + (nint)(jc / nr) * kc * nr;
                }

                for (int ic = rowStart; ic < rowEnd; ic += mr)
                {
                    int rows = Math.Min(mr, rowEnd - ic);
                    float* a;
                    nint rowStride, kStride;
                    if (rows < mr)
                    {
                        PackEdgeA(g, ic, rows, pc, kc, edgeA);
                        a = edgeA;
                        rowStride = 1;
                        kStride = mr;
                    }
                    else if (g.TransA)
                    {
                        a = g.A + (nint)pc * g.M + ic;
                        rowStride = 1;
                        kStride = g.M;
                    }
                    else
                    {
                        a = g.A + (nint)ic * g.K + pc;
                        rowStride = g.K;
                        kStride = 1;
                    }

                    for (int panel = 0; panel < panels; panel++)
                    {
                        int j = jc + panel * nr;
                        Tile(a, rowStride, kStride, packedB + panel * kc * nr, kc, g.C + (nint)ic * g.N + j, g.N,
                             rows, Math.Min(nr, colEnd - j), load, bias == null ? null : bias + j, relu, scratch.Tile);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(float* a, nint rowStride, nint kStride, float* b, int kc, float* c, int ldc, int rows, int width, bool load,
                             float* bias, bool relu, float* tile)
    {
        const int nr = PackedGemmLayout.PanelWidth;
        int stored = width <= 16 ? 16 : nr;
        if (rows == TKernel.Rows && width == stored)
        {
            TKernel.Run(a, rowStride, kStride, b, kc, c, ldc, width, load, bias, relu);
            return;
        }

        // Partial tile: stage through scratch so the kernel can always store whole vectors.
        if (load)
        {
            for (int r = 0; r < rows; r++)
            {
                new ReadOnlySpan<float>(c + (nint)r * ldc, width).CopyTo(new Span<float>(tile + r * nr, width));
            }
        }

        TKernel.Run(a, rowStride, kStride, b, kc, tile, nr, width, load, bias, relu);
        for (int r = 0; r < rows; r++)
        {
            new ReadOnlySpan<float>(tile + r * nr, width).CopyTo(new Span<float>(c + (nint)r * ldc, width));
        }
    }

    /// <summary>
    /// Packs the last, partial row slice op(A)[row..row+rows, pc..pc+kc] as [kc, Rows] with zero rows past the edge:
    /// full slices are read in place, but this one's missing rows lie outside A.
    /// </summary>
    private static void PackEdgeA(in GemmArgs g, int row, int rows, int pc, int kc, float* dst)
    {
        int mr = TKernel.Rows;
        new Span<float>(dst, kc * mr).Clear();
        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < rows; r++)
            {
                dst[p * mr + r] = g.TransA ? g.A[(nint)(pc + p) * g.M + row + r] : g.A[(nint)(row + r) * g.K + pc + p];
            }
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, col..col+width] as [kc, 32], zero columns past the edge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(in GemmArgs g, int pc, int kc, int col, int width, float* dst)
    {
        const int nr = PackedGemmLayout.PanelWidth;
        if (!g.TransB)
        {
            // B stored [K, N]: each k step is a contiguous run of columns.
            for (int p = 0; p < kc; p++)
            {
                var d = new Span<float>(dst + p * nr, nr);
                new ReadOnlySpan<float>(g.B + (nint)(pc + p) * g.N + col, width).CopyTo(d);
                d[width..].Clear();
            }

            return;
        }

        // B stored [N, K]: each stored row becomes one panel column.
        if (width < nr)
        {
            new Span<float>(dst, kc * nr).Clear();
        }

        // Whole 8×8 blocks transpose in registers; the rest (k or columns past a multiple of 8) goes in steps of 16 k
        // (one cache line of each stored row): a whole column pass would write kc lines of a panel larger than L1
        // (400 × 128 B) once per column and evict them 32 times over.
        int fullK = 0, fullWidth = 0;
        if (Transpose8x8.IsSupported)
        {
            fullK = kc / 8 * 8;
            fullWidth = width / 8 * 8;
            for (int p0 = 0; p0 < fullK; p0 += 8)
            {
                for (int j0 = 0; j0 < fullWidth; j0 += 8)
                {
                    Transpose8x8.Run(g.B + (nint)(col + j0) * g.K + pc + p0, g.K, dst + p0 * nr + j0, nr);
                }
            }
        }

        const int step = 16;
        for (int p0 = 0; p0 < kc; p0 += step)
        {
            int count = Math.Min(step, kc - p0);
            for (int j = 0; j < width; j++)
            {
                float* src = g.B + (nint)(col + j) * g.K + pc + p0;
                float* d = dst + p0 * nr + j;
                // Skip what the block transpose already wrote.
                int first = j < fullWidth ? Math.Max(0, Math.Min(count, fullK - p0)) : 0;
                for (int p = first; p < count; p++)
                {
                    d[p * nr] = src[p];
                }
            }
        }
    }

    private readonly struct GemmArgs(PackedGemmBlocking blocking, float* a, float* b, float* c, int m, int n, int k,
                                     bool transA, bool transB, bool accumulate,
                                     PackedPanels? packed = null, float* bias = null, bool relu = false)
    {
        public readonly PackedGemmBlocking Blocking = blocking;
        public readonly float* A = a;
        public readonly float* B = b;
        public readonly float* C = c;
        public readonly int M = m;
        public readonly int N = n;
        public readonly int K = k;
        public readonly bool TransA = transA;
        public readonly bool TransB = transB;
        public readonly bool Accumulate = accumulate;

        /// <summary>B already packed (then <see cref="B"/> is unused), or null to pack per call.</summary>
        public readonly PackedPanels? Packed = packed;

        /// <summary>Epilogue of the last K block: null or a bias padded to whole panels, then ReLU.</summary>
        public readonly float* Bias = bias;
        public readonly bool Relu = relu;
    }

    /// <summary>One call's work for the pool: part p takes the p-th fixed slice of rows (or of 16-column units).</summary>
    private sealed class Job : IComputeJob
    {
        public GemmArgs Args;
        public bool ByRows;

        public void Run(int part, int partCount)
        {
            if (ByRows)
            {
                (int start, int end) = Slice(Args.M, TKernel.Rows, part, partCount);
                Compute(Args, start, end, 0, Args.N);
            }
            else
            {
                (int start, int end) = Slice(Args.N, PackedGemmLayout.ColumnUnit, part, partCount);
                Compute(Args, 0, Args.M, start, end);
            }
        }

        private static (int Start, int End) Slice(int length, int unit, int part, int partCount)
        {
            int units = (length + unit - 1) / unit;
            int perPart = (units + partCount - 1) / partCount;
            int start = Math.Min(length, part * perPart * unit);
            int end = Math.Min(length, (part + 1) * perPart * unit);
            return (start, end);
        }
    }
}
