using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// Field-wise embedding lookup from one shared table whose rows are the global feature ids
/// (<see cref="Features.FeatureLayout"/>): out[b, f, :] = table[ids[b, f], :] · values[b, f], plus
/// Σ_e table[id_e, :] · v_e over the extra features of a multi-hot field (<see cref="ExtraLookups"/>), so a field
/// with several features is their weighted sum. Scaling by the value is how numeric fields (one row per field, scaled
/// by the value) and one-hot fields (value 1) share one code path, as in the DeepFwFM reference code's Xv.
/// </summary>
public static class Embedding
{
    private const int CacheLineFloats = 16;

    /// <param name="table">[V, D] embedding rows.</param>
    /// <param name="ids">[B, F] global row ids.</param>
    /// <param name="values">[B, F] scales; ignored (treated as 1) when <paramref name="hasValues"/> is false.</param>
    /// <param name="output">[B, F, D].</param>
    /// <param name="extras">The extra features of the B·F lookups; empty for a one-hot batch.</param>
    public static void Forward(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, bool hasValues,
                               int batchSize, int fieldCount, int dim, Span<float> output, ExtraLookups extras = default)
    {
        int n = batchSize * fieldCount;
        KernelRegistry.Embedding.Gather(table, dim, ids[..n], hasValues ? values[..n] : default, output[..(n * dim)]);
        if (!extras.IsEmpty)
        {
            KernelRegistry.Embedding.GatherExtra(table, dim, extras, output[..(n * dim)]);
        }
    }

    /// <summary>
    /// Scatter-adds dOutput into the touched rows of <paramref name="tableGrad"/>; when <paramref name="dValues"/>
    /// is not empty also accumulates ∂L/∂values[b, f] = ⟨dOutput[b, f, :], table[ids[b, f], :]⟩ (of the first feature).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, bool hasValues,
                                ReadOnlySpan<float> dOutput, int batchSize, int fieldCount, int dim,
                                RowGradient tableGrad, Span<float> dValues, ExtraLookups extras = default)
    {
        int n = batchSize * fieldCount;
        int[] slots = new int[n]; // models pass planned buffers to Register and Accumulate instead
        int[] extraSlots = new int[extras.IsEmpty ? 0 : extras.Offsets[^1]];
        tableGrad.Register(ids[..n], slots);
        tableGrad.Register(extras.Ids[..extraSlots.Length], extraSlots);
        Accumulate(dOutput, slots, values, hasValues, dim, tableGrad, 0, 1, extras, extraSlots);
        if (!dValues.IsEmpty)
        {
            for (int i = 0; i < n; i++)
            {
                dValues[i] += TensorPrimitives.Dot(dOutput.Slice(i * dim, dim), table.Slice(ids[i] * dim, dim));
            }
        }
    }

    /// <summary>
    /// The scatter-add of <see cref="Backward"/> (the registry's <see cref="IEmbeddingKernel.Scatter"/>) for slots
    /// already registered (<see cref="RowGradient.Register"/>), restricted to the slots that part <paramref name="part"/>
    /// of <paramref name="partCount"/> owns (<see cref="SlotOwnership"/>); the result is the same for any part count.
    /// The extra features of multi-hot fields follow the first ones, each taking v_e · dOutput of its lookup.
    /// </summary>
    /// <param name="extraSlots">[E] gradient rows of the extra features, indexed like their entries.</param>
    public static void Accumulate(ReadOnlySpan<float> dOutput, ReadOnlySpan<int> slots, ReadOnlySpan<float> values, bool hasValues,
                                  int dim, RowGradient tableGrad, int part, int partCount, ExtraLookups extras = default,
                                  ReadOnlySpan<int> extraSlots = default)
    {
        if (tableGrad.Width != dim)
        {
            throw new ArgumentException($"row gradient width {tableGrad.Width} != dim {dim}.", nameof(tableGrad));
        }

        KernelRegistry.Embedding.Scatter(dOutput[..(slots.Length * dim)], dim, slots, hasValues ? values[..slots.Length] : default,
            tableGrad.Values.AsSpan(0, tableGrad.Count * dim), part, partCount);
        if (!extras.IsEmpty)
        {
            KernelRegistry.Embedding.ScatterExtra(dOutput[..(slots.Length * dim)], dim, extras, extraSlots,
                tableGrad.Values.AsSpan(0, tableGrad.Count * dim), part, partCount);
        }
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
