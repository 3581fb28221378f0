using Clickwise.Kernels;
using Clickwise.Kernels.Reference;

namespace Clickwise.Layers;

/// <summary>
/// The one place layers get their GEMM from, so switching to the fast kernel registry at integration is a
/// one-line change here rather than a hunt through call sites.
/// </summary>
internal static class Gemms
{
    // TODO(integration): return Clickwise.Kernels.KernelRegistry.Gemm once the fast kernels land.
    public static IGemm Active { get; set; } = new ReferenceGemm();
}
