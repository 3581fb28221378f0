using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>The one place layers get their GEMM from: the registry's active kernel (CLICKWISE_KERNELS=reference forces the spec).</summary>
internal static class Gemms
{
    public static IGemm Active { get; set; } = KernelRegistry.Gemm;
}
