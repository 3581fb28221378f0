namespace Clickwise.Kernels;

/// <summary>
/// Which part of a parallel scatter owns a gradient slot (<see cref="Layers.RowGradient.Register"/>): blocks of
/// <see cref="Block"/> slots dealt round-robin. Each slot is summed by its one owner in lookup order, so a scatter
/// gives the same bits for any part count.
/// </summary>
public static class SlotOwnership
{
    /// <summary>
    /// Slots are owned in blocks this long: hot rows (first touched, low slots) spread over the cores, and two cores
    /// rarely write the same cache line.
    /// </summary>
    public const int Block = 16;

    /// <summary>Whether part <paramref name="part"/> of <paramref name="partCount"/> owns <paramref name="slot"/>.</summary>
    public static bool Owns(int slot, int part, int partCount)
    {
        int block = slot / Block;
        // A division per lookup would cost more than its scatter: the usual part counts are powers of two.
        return ((partCount & (partCount - 1)) == 0 ? block & (partCount - 1) : block % partCount) == part;
    }
}
