namespace Clickwise.Kernels.Simd;

/// <summary>
/// The register tile of <see cref="PackedGemm{TKernel}"/>: C[Rows, w] (+)= A·B over one K block, where A's element
/// (r, p) is a[r·rowStride + p·kStride] (a packed edge slice [kc, Rows], or A itself, row-major or transposed) and B
/// a packed panel [kc, 32] (zero padded past w).
/// A tile is 16 columns wide when w ≤ 16 (edge panels such as the last 6 of N=390) and 32 otherwise, and that many
/// columns are stored, so the caller routes partial tiles through a scratch tile.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    static abstract string Name { get; }

    static abstract bool IsSupported { get; }

    static abstract int Rows { get; }

    /// <param name="load">true adds the product to C, false overwrites C.</param>
    /// <param name="bias">
    /// Null, or the tile's columns of a bias (readable for all stored columns) added after the product: the
    /// epilogue of the last K block, so a dense layer needs no second pass over its output.
    /// </param>
    /// <param name="relu">Clamp at zero after the bias.</param>
    static abstract void Run(float* a, nint rowStride, nint kStride, float* b, int kc, float* c, nint ldc, int width, bool load,
                             float* bias, bool relu);
}
