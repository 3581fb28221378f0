using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// op(B) [k, n] packed once in <see cref="PackedGemm{TKernel}"/>'s panel layout, for a B reused by many products
/// (inference weights): for each K block in order, every 32-wide zero-padded panel [kc, 32]. The storage is a
/// pinned array, so the pointer stays valid for the object's life without a finalizer.
/// </summary>
internal sealed unsafe class PackedPanels
{
    private readonly float[] _storage;
    private readonly float* _base; // 64-byte aligned inside _storage

    public PackedPanels(int k, int n, int kBlock)
    {
        K = k;
        N = n;
        KBlock = kBlock;
        Panels = (n + PackedGemmLayout.PanelWidth - 1) / PackedGemmLayout.PanelWidth;
        const int alignFloats = 16;
        _storage = GC.AllocateArray<float>(k * Panels * PackedGemmLayout.PanelWidth + alignFloats, pinned: true);
        var start = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        _base = start + (64 - (nint)start % 64) % 64 / sizeof(float);
    }

    public int K { get; }

    public int N { get; }

    /// <summary>Rows of B per K block (the last may be shorter).</summary>
    public int KBlock { get; }

    public int Panels { get; }

    public long Bytes => _storage.LongLength * sizeof(float);

    /// <summary>The panels of the K block starting at row <paramref name="pc"/>, panel after panel [kc, 32].</summary>
    public float* Block(int pc) => _base + (nint)pc * Panels * PackedGemmLayout.PanelWidth;
}
