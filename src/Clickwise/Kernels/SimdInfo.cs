using System.Runtime.Intrinsics;

namespace Clickwise.Kernels;

/// <summary>Which SIMD widths the JIT accelerates in this process (the DOTNET_Enable* knobs change this).</summary>
public static class SimdInfo
{
    public static string Describe() =>
        $"Vector512={Flag(Vector512.IsHardwareAccelerated)} Vector256={Flag(Vector256.IsHardwareAccelerated)} " +
        $"Vector128={Flag(Vector128.IsHardwareAccelerated)} Fma={Flag(System.Runtime.Intrinsics.X86.Fma.IsSupported)}";

    private static string Flag(bool on) => on ? "on" : "off";
}
