using System.Runtime.Intrinsics.X86;

namespace Clickwise.Kernels;

/// <summary>
/// Software prefetch of rows scattered over tables far larger than the caches (no-op without SSE). A 40-byte row
/// (D = 10) straddles two cache lines more often than not, so both ends are asked for.
/// </summary>
internal static unsafe class CachePrefetch
{
    /// <summary>How many rows ahead to ask: enough to keep several misses in flight.</summary>
    public const int Distance = 16;

    public static void Row(float* table, long start, int width)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(table + start);
            Sse.Prefetch0(table + start + width - 1);
        }
    }

    public static void Element(int* address)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(address);
        }
    }
}
