using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// Field-wise embedding lookup from one shared table whose rows are the global feature ids
/// (<see cref="Features.FeatureLayout"/>): out[b, f, :] = table[ids[b, f], :] · values[b, f].
/// Scaling by the value is how numeric fields (one row per field, scaled by the value) and one-hot fields
/// (value 1) share one code path, as in the DeepFwFM reference code's Xv.
/// </summary>
public static class Embedding
{
    /// <summary>
    /// Slots are owned in blocks this long: hot rows (first touched, low slots) spread over the cores, and two cores
    /// rarely write the same cache line.
    /// </summary>
    public const int SlotBlock = 16;

    private const int CacheLineFloats = 16;

    /// <param name="table">[V, D] embedding rows.</param>
    /// <param name="ids">[B, F] global row ids.</param>
    /// <param name="values">[B, F] scales; ignored (treated as 1) when <paramref name="hasValues"/> is false.</param>
    /// <param name="output">[B, F, D].</param>
    public static void Forward(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, bool hasValues,
                               int batchSize, int fieldCount, int dim, Span<float> output)
    {
        int n = batchSize * fieldCount;
        KernelRegistry.Embedding.Gather(table, dim, ids[..n], hasValues ? values[..n] : default, output[..(n * dim)]);
    }

    /// <summary>
    /// Scatter-adds dOutput into the touched rows of <paramref name="tableGrad"/>; when <paramref name="dValues"/>
    /// is not empty also accumulates ∂L/∂values[b, f] = ⟨dOutput[b, f, :], table[ids[b, f], :]⟩.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, bool hasValues,
                                ReadOnlySpan<float> dOutput, int batchSize, int fieldCount, int dim,
                                RowGradient tableGrad, Span<float> dValues)
    {
        int n = batchSize * fieldCount;
        int[] slots = new int[n]; // models pass planned buffers to Register and Accumulate instead
        tableGrad.Register(ids[..n], slots);
        Accumulate(dOutput, slots, values, hasValues, dim, tableGrad, 0, 1);
        if (!dValues.IsEmpty)
        {
            for (int i = 0; i < n; i++)
            {
                dValues[i] += TensorPrimitives.Dot(dOutput.Slice(i * dim, dim), table.Slice(ids[i] * dim, dim));
            }
        }
    }

    /// <summary>
    /// The scatter-add of <see cref="Backward"/> for slots already registered (<see cref="RowGradient.Register"/>),
    /// restricted to the slots that part <paramref name="part"/> of <paramref name="partCount"/> owns (blocks of
    /// <see cref="SlotBlock"/> slots dealt round-robin). Each slot is summed in lookup order by its one owner, so
    /// the result is the same for any part count.
    /// </summary>
    public static void Accumulate(ReadOnlySpan<float> dOutput, ReadOnlySpan<int> slots, ReadOnlySpan<float> values, bool hasValues,
                                  int dim, RowGradient tableGrad, int part, int partCount)
    {
        for (int i = 0; i < slots.Length; i++)
        {
            if (!OwnsSlot(slots[i], part, partCount))
            {
                continue;
            }

            int slot = slots[i];

            ReadOnlySpan<float> g = dOutput.Slice(i * dim, dim);
            Span<float> dst = tableGrad.Slot(slot);
            float x = hasValues ? values[i] : 1f;
            for (int d = 0; d < dim; d++)
            {
                dst[d] += g[d] * x;
            }
        }
    }

    /// <summary>Whether part <paramref name="part"/> of <paramref name="partCount"/> owns gradient slot
    /// <paramref name="slot"/>: blocks of <see cref="SlotBlock"/> slots dealt round-robin.</summary>
    public static bool OwnsSlot(int slot, int part, int partCount)
    {
        int block = slot / SlotBlock;
        // A division per lookup would cost more than its scatter: the usual part counts are powers of two.
        return ((partCount & (partCount - 1)) == 0 ? block & (partCount - 1) : block % partCount) == part;
    }

    /// <summary>Every cache line of the rows [stride] of <paramref name="count"/> ids: a request's F field-aware rows
    /// (about 10 lines per row at F = 39, D = 4) fetched before its pairs are summed, so the misses overlap.</summary>
    internal static unsafe void PrefetchRows(float* table, int* rowIds, int count, long stride)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        for (int i = 0; i < count; i++)
        {
            float* row = table + rowIds[i] * stride;
            for (long o = 0; o < stride; o += CacheLineFloats)
            {
                Sse.Prefetch0(row + o);
            }

            Sse.Prefetch0(row + stride - 1);
        }
    }
}
