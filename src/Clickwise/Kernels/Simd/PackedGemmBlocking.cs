namespace Clickwise.Kernels.Simd;

/// <summary>
/// The cache blocking of one <see cref="PackedGemm{TKernel}"/> instance, sized for 1-2 MiB of L2 per core. A
/// benchmark builds a GEMM with other values and hands it to a <see cref="ComputeContext"/>; nothing is global.
/// </summary>
/// <param name="KBlockSingle">
/// K up to this runs in one block, so C is written once (400×400 packed B is 665 KB and fits L2).
/// </param>
/// <param name="KBlockSplit">
/// Longer K (the weight gradient's batch dimension) is cut into equal blocks of at most this: there A (x, streamed),
/// B and C compete for L2, and 128 beat 192/256/384/512 for dW = xᵀ·dY on 2 threads (best-of-21 152-183 GFLOP/s vs
/// 125-160; the shared machine's medians were too noisy to rank).
/// </param>
/// <param name="PackedBFloats">Packed B block budget in floats (~720 KB): stays in L2 with room for the A slice and C tiles.</param>
internal sealed record PackedGemmBlocking(int KBlockSingle = 512, int KBlockSplit = 128, int PackedBFloats = 180 * 1024)
{
    public static PackedGemmBlocking Default { get; } = new();

    public int KBlock(int k)
    {
        if (k <= KBlockSingle)
        {
            return k;
        }

        int blocks = (k + KBlockSplit - 1) / KBlockSplit;
        return (k + blocks - 1) / blocks;
    }

    public int NBlock(int kc) => Math.Max(PackedGemmLayout.PanelWidth, PackedBFloats / kc / PackedGemmLayout.PanelWidth * PackedGemmLayout.PanelWidth);
}
