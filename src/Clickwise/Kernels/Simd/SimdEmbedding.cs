using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// Gather and scatter-add one row at a time through <see cref="TensorPrimitives"/>; the gather prefetches rows ahead
/// and copies short rows as overlapping vectors.
/// </summary>
public sealed class SimdEmbedding : IEmbeddingKernel
{
    private const int PrefetchDistance = CachePrefetch.Distance;

    public string Name => "embedding-simd";

    public unsafe void Gather(ReadOnlySpan<float> table, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                              Span<float> output)
    {
        KernelChecks.Embedding(table.Length, dim, ids, values, output.Length);
        fixed (float* t = table)
        {
            for (int n = 0; n < Math.Min(ids.Length, PrefetchDistance); n++)
            {
                Prefetch(t, ids[n], dim);
            }

            for (int n = 0; n < ids.Length; n++)
            {
                if (n + PrefetchDistance < ids.Length)
                {
                    Prefetch(t, ids[n + PrefetchDistance], dim);
                }

                ReadOnlySpan<float> source = table.Slice(ids[n] * dim, dim);
                Span<float> target = output.Slice(n * dim, dim);
                if (values.IsEmpty && dim >= Vector256<float>.Count && Vector256.IsHardwareAccelerated)
                {
                    CopyRow(source, target);
                }
                else if (values.IsEmpty)
                {
                    source.CopyTo(target);
                }
                else
                {
                    TensorPrimitives.Multiply(source, values[n], target);
                }
            }
        }
    }

    /// <summary>
    /// Each owned lookup's row as 8-float vectors and a scalar tail, multiply then add (no FMA) like the reference,
    /// so the sums are the reference's bits. B·F = 79872 lookups at D = 10: 257-279 µs against 254-266 µs for the
    /// scalar loop training ran before (same process, side by side), 800-890 µs for the reference; a scalar body
    /// without bounds checks measured 540-570 µs.
    /// </summary>
    public void Scatter(ReadOnlySpan<float> dOutput, int dim, ReadOnlySpan<int> slots, ReadOnlySpan<float> values,
                        Span<float> dRows, int part, int partCount)
    {
        KernelChecks.Scatter(dOutput.Length, dim, slots, values, part, partCount);
        int rowCount = dRows.Length / dim;
        ref float from = ref MemoryMarshal.GetReference(dOutput);
        ref float to = ref MemoryMarshal.GetReference(dRows);
        int vectorEnd = VectorEnd(dim);
        for (int n = 0; n < slots.Length; n++)
        {
            int slot = slots[n];
            if (!SlotOwnership.Owns(slot, part, partCount))
            {
                continue;
            }

            KernelChecks.Slot(slot, rowCount);
            AddScaled(ref Unsafe.Add(ref from, (nint)n * dim), values.IsEmpty ? 1f : values[n], ref Unsafe.Add(ref to, (nint)slot * dim), dim,
                vectorEnd);
        }
    }

    public void GatherExtra(ReadOnlySpan<float> table, int dim, ExtraLookups extras, Span<float> output)
    {
        KernelChecks.GatherExtra(table.Length, dim, extras, output.Length);
        ref float from = ref MemoryMarshal.GetReference(table);
        ref float to = ref MemoryMarshal.GetReference(output);
        int vectorEnd = VectorEnd(dim);
        for (int n = 0; n + 1 < extras.Offsets.Length; n++)
        {
            for (int e = extras.Offsets[n]; e < extras.Offsets[n + 1]; e++)
            {
                AddScaled(ref Unsafe.Add(ref from, (nint)extras.Ids[e] * dim), extras.Values[e], ref Unsafe.Add(ref to, (nint)n * dim), dim,
                    vectorEnd);
            }
        }
    }

    public void ScatterExtra(ReadOnlySpan<float> dOutput, int dim, ExtraLookups extras, ReadOnlySpan<int> slots,
                             Span<float> dRows, int part, int partCount)
    {
        KernelChecks.ScatterExtra(dOutput.Length, dim, extras, slots, part, partCount);
        int rowCount = dRows.Length / dim;
        int vectorEnd = VectorEnd(dim);
        for (int n = 0; n + 1 < extras.Offsets.Length; n++)
        {
            for (int e = extras.Offsets[n]; e < extras.Offsets[n + 1]; e++)
            {
                if (SlotOwnership.Owns(slots[e], part, partCount))
                {
                    KernelChecks.Slot(slots[e], rowCount);
                    AddScaled(ref MemoryMarshal.GetReference(dOutput.Slice(n * dim, dim)), extras.Values[e],
                        ref MemoryMarshal.GetReference(dRows.Slice(slots[e] * dim, dim)), dim, vectorEnd);
                }
            }
        }
    }

    private static int VectorEnd(int dim) => Vector256.IsHardwareAccelerated ? dim - dim % Vector256<float>.Count : 0;

    /// <summary>target += source · scale over <paramref name="dim"/> values: multiply then add (no FMA), the reference's bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(ref float source, float scale, ref float target, int dim, int vectorEnd)
    {
        var scales = Vector256.Create(scale);
        int d = 0;
        for (; d < vectorEnd; d += Vector256<float>.Count)
        {
            (Vector256.LoadUnsafe(ref target, (nuint)d) + Vector256.LoadUnsafe(ref source, (nuint)d) * scales)
                .StoreUnsafe(ref target, (nuint)d);
        }

        for (; d < dim; d++)
        {
            Unsafe.Add(ref target, d) += Unsafe.Add(ref source, d) * scale;
        }
    }

    /// <summary>Both ends of a row: 1.11-1.14 → 0.79-0.83 µs a row of 39 ids (in-process A/B).</summary>
    private static unsafe void Prefetch(float* table, int id, int dim) => CachePrefetch.Row(table, (long)id * dim, dim);

    /// <summary>
    /// A short row as 8-float vectors, the last one overlapping the previous: a D = 10 row is two loads and two
    /// stores, where a general copy call costs more than the copy.
    /// </summary>
    private static void CopyRow(ReadOnlySpan<float> row, Span<float> dst)
    {
        int n = row.Length, last = n - Vector256<float>.Count;
        ref float from = ref MemoryMarshal.GetReference(row);
        ref float to = ref MemoryMarshal.GetReference(dst);
        for (int k = 0; k < last; k += Vector256<float>.Count)
        {
            Vector256.LoadUnsafe(ref from, (nuint)k).StoreUnsafe(ref to, (nuint)k);
        }

        Vector256.LoadUnsafe(ref from, (nuint)last).StoreUnsafe(ref to, (nuint)last);
    }
}
