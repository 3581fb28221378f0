namespace Clickwise.Kernels.Simd;

/// <summary>Blocking parameters of <see cref="PackedGemm{TKernel}"/>, sized for 1-2 MiB of L2 per core (Zen 4, Sapphire Rapids).</summary>
internal static class PackedGemmLayout
{
    /// <summary>Columns per packed B panel: two Vector512 (or four Vector256) per row.</summary>
    public const int PanelWidth = 32;

    /// <summary>
    /// Columns per unit of a column split between threads: half a panel, so N = 400 splits 208 + 192 rather than
    /// 224 + 176; the 16-wide panel at the boundary runs the half-width tile.
    /// </summary>
    public const int ColumnUnit = 16;

    /// <summary>Largest tile height of any micro-kernel (sizes the scratch tile for edge tiles).</summary>
    public const int MaxTileRows = 16;

    /// <summary>Products at or below this many multiply-adds run on the calling thread (handoff costs µs).</summary>
    public const long SingleThreadLimit = 1L << 20;

    /// <summary>
    /// K up to this runs in one block, so C is written once (400×400 packed B is 665 KB and fits L2).
    /// Longer K (the weight gradient's batch dimension) is cut into equal blocks of at most <see cref="KBlockSplit"/>:
    /// there A (x, streamed), B and C compete for L2, and 128 beat 192/256/384/512 for dW = xᵀ·dY on 2 threads
    /// (best-of-21 152-183 GFLOP/s vs 125-160; the shared machine's medians were too noisy to rank).
    /// </summary>
    public static int KBlockSingle { get; set; } = 512;

    public static int KBlockSplit { get; set; } = 128;

    /// <summary>Packed B block budget in floats (~720 KB): stays in L2 with room for the A slice and C tiles.</summary>
    public static int PackedBFloats { get; set; } = 180 * 1024;

    public static int KBlock(int k)
    {
        if (k <= KBlockSingle)
        {
            return k;
        }

        int blocks = (k + KBlockSplit - 1) / KBlockSplit;
        return (k + blocks - 1) / blocks;
    }

    public static int NBlock(int kc) => Math.Max(PanelWidth, PackedBFloats / kc / PanelWidth * PanelWidth);
}
