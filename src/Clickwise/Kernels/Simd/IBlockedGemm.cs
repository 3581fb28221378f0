namespace Clickwise.Kernels.Simd;

/// <summary>A GEMM with cache blocking of its own: a benchmark (or a tuned context) makes a copy with other block sizes.</summary>
internal interface IBlockedGemm : IGemm
{
    PackedGemmBlocking Blocking { get; }

    /// <summary>The same kernel with <paramref name="other"/> blocking (a new instance; this one is unchanged).</summary>
    IGemm WithBlocking(PackedGemmBlocking other);
}
