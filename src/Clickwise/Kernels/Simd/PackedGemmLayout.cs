namespace Clickwise.Kernels.Simd;

/// <summary>Fixed tile geometry of <see cref="PackedGemm{TKernel}"/>; its cache blocking is <see cref="PackedGemmBlocking"/>.</summary>
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
}
