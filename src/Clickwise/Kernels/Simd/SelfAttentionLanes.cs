using System.Runtime.Intrinsics;

namespace Clickwise.Kernels.Simd;

/// <summary>The vector width the attention kernels (training and inference) use for a head width.</summary>
public static class SelfAttentionLanes
{
    /// <summary>The widest lane count this CPU accelerates that divides <paramref name="headDim"/> (1: scalar).</summary>
    public static int For(int headDim) =>
        Vector512.IsHardwareAccelerated && headDim % 16 == 0 ? 16
        : Vector256.IsHardwareAccelerated && headDim % 8 == 0 ? 8
        : 1;
}
