using System.Runtime.CompilerServices;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// C[r, :] (+)= Σ_t A(r, t) · B[t, :] for small in-cache matrices, vectorised over C's columns: each step broadcasts
/// one element of A and fuses it with one vector of B's row t. A is read through a row and a column stride, so one
/// kernel serves A and Aᵀ (the attention products and their gradients are all of this form). Rows run in tiles of 8
/// independent accumulators (the FMA latency × throughput); a last partial tile repeats row rows−1, which loads C's
/// old values before any store and so writes identical numbers to that row again, leaving no remainder loop.
/// </summary>
internal static unsafe class RowCombination<TLanes, TVector>
    where TLanes : struct, ILaneOps<TVector>
    where TVector : unmanaged
{
    private const int TileRows = 8;

    /// <param name="a">A(r, t) = a[r·aRow + t·aCol].</param>
    /// <param name="b">B[t, :] starts at b + t·bStride.</param>
    /// <param name="cols">Columns of B and C; a multiple of the lane count.</param>
    /// <param name="accumulate">Add to C's values (true) or overwrite them.</param>
    public static void Run(float* a, int aRow, int aCol, int rows, int inner, float* b, int bStride, int cols,
                           float* c, int cStride, bool accumulate)
    {
        for (int column = 0; column < cols; column += TLanes.Count)
        {
            for (int r = 0; r < rows; r += TileRows)
            {
                Tile(a, aRow, aCol, r, rows, inner, b + column, bStride, c + column, cStride, accumulate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(float* a, int aRow, int aCol, int r, int rows, int inner, float* b, int bStride, float* c, int cStride,
                             bool accumulate)
    {
        int last = rows - 1;
        int r0 = Math.Min(r, last), r1 = Math.Min(r + 1, last), r2 = Math.Min(r + 2, last), r3 = Math.Min(r + 3, last);
        int r4 = Math.Min(r + 4, last), r5 = Math.Min(r + 5, last), r6 = Math.Min(r + 6, last), r7 = Math.Min(r + 7, last);
        float* a0 = a + (nint)r0 * aRow, a1 = a + (nint)r1 * aRow, a2 = a + (nint)r2 * aRow, a3 = a + (nint)r3 * aRow;
        float* a4 = a + (nint)r4 * aRow, a5 = a + (nint)r5 * aRow, a6 = a + (nint)r6 * aRow, a7 = a + (nint)r7 * aRow;
        TVector s0, s1, s2, s3, s4, s5, s6, s7;
        if (accumulate)
        {
            s0 = TLanes.Load(c + (nint)r0 * cStride);
            s1 = TLanes.Load(c + (nint)r1 * cStride);
            s2 = TLanes.Load(c + (nint)r2 * cStride);
            s3 = TLanes.Load(c + (nint)r3 * cStride);
            s4 = TLanes.Load(c + (nint)r4 * cStride);
            s5 = TLanes.Load(c + (nint)r5 * cStride);
            s6 = TLanes.Load(c + (nint)r6 * cStride);
            s7 = TLanes.Load(c + (nint)r7 * cStride);
        }
        else
        {
            s0 = TLanes.Zero;
            s1 = s0;
            s2 = s0;
            s3 = s0;
            s4 = s0;
            s5 = s0;
            s6 = s0;
            s7 = s0;
        }

        for (int t = 0; t < inner; t++)
        {
            TVector row = TLanes.Load(b + (nint)t * bStride);
            nint at = (nint)t * aCol;
            s0 = TLanes.MultiplyAdd(TLanes.Broadcast(a0[at]), row, s0);
            s1 = TLanes.MultiplyAdd(TLanes.Broadcast(a1[at]), row, s1);
            s2 = TLanes.MultiplyAdd(TLanes.Broadcast(a2[at]), row, s2);
            s3 = TLanes.MultiplyAdd(TLanes.Broadcast(a3[at]), row, s3);
            s4 = TLanes.MultiplyAdd(TLanes.Broadcast(a4[at]), row, s4);
            s5 = TLanes.MultiplyAdd(TLanes.Broadcast(a5[at]), row, s5);
            s6 = TLanes.MultiplyAdd(TLanes.Broadcast(a6[at]), row, s6);
            s7 = TLanes.MultiplyAdd(TLanes.Broadcast(a7[at]), row, s7);
        }

        TLanes.Store(s7, c + (nint)r7 * cStride);
        TLanes.Store(s6, c + (nint)r6 * cStride);
        TLanes.Store(s5, c + (nint)r5 * cStride);
        TLanes.Store(s4, c + (nint)r4 * cStride);
        TLanes.Store(s3, c + (nint)r3 * cStride);
        TLanes.Store(s2, c + (nint)r2 * cStride);
        TLanes.Store(s1, c + (nint)r1 * cStride);
        TLanes.Store(s0, c + (nint)r0 * cStride);
    }
}
