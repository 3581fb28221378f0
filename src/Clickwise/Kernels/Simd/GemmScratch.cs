using System.Runtime.InteropServices;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// Per-thread packing buffers in 64-byte aligned native memory: allocated on first use, grown when a larger
/// problem arrives, reused by every later call on the thread, freed when the thread (and so this object) dies.
/// </summary>
internal sealed unsafe class GemmScratch
{
    [ThreadStatic]
    private static GemmScratch? t_current;

    private float* _packedA;
    private nuint _packedACount;
    private float* _packedB;
    private nuint _packedBCount;

    private GemmScratch()
    {
        nuint tileCount = PackedGemmLayout.MaxTileRows * PackedGemmLayout.PanelWidth;
        Tile = Allocate(tileCount);
        // Rows of an edge tile past the real ones are computed and thrown away; keep them finite.
        NativeMemory.Clear(Tile, tileCount * sizeof(float));
    }

    ~GemmScratch()
    {
        NativeMemory.AlignedFree(_packedA);
        NativeMemory.AlignedFree(_packedB);
        NativeMemory.AlignedFree(Tile);
    }

    public static GemmScratch Current => t_current ??= new GemmScratch();

    /// <summary>[MaxTileRows, PanelWidth] staging tile for partial tiles at the M and N edges.</summary>
    public float* Tile { get; }

    public float* PackedA(int count) => Ensure(ref _packedA, ref _packedACount, count);

    public float* PackedB(int count) => Ensure(ref _packedB, ref _packedBCount, count);

    private static float* Ensure(ref float* buffer, ref nuint capacity, int count)
    {
        if ((nuint)count > capacity)
        {
            NativeMemory.AlignedFree(buffer);
            buffer = null;
            capacity = (nuint)count;
            buffer = Allocate(capacity);
        }

        return buffer;
    }

    private static float* Allocate(nuint count) => (float*)NativeMemory.AlignedAlloc(count * sizeof(float), 64);
}
