using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Clickwise.Layers;

namespace Clickwise.Kernels.Simd;

/// <summary>
/// Gather and scatter-add one row at a time through <see cref="TensorPrimitives"/>; the gather prefetches rows ahead
/// and copies short rows as overlapping vectors.
/// </summary>
public sealed class SimdEmbedding : IEmbeddingKernel
{
    // Rows of a large table miss every cache; asking for the row this many ids ahead keeps several misses in flight.
    private const int PrefetchDistance = 16;

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

    public void Scatter(ReadOnlySpan<float> dOutput, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                        RowGradient dTable)
    {
        KernelChecks.Scatter(dOutput.Length, dim, ids, values, dTable);
        for (int n = 0; n < ids.Length; n++)
        {
            Span<float> row = dTable.Row(ids[n]);
            ReadOnlySpan<float> gradient = dOutput.Slice(n * dim, dim);
            if (values.IsEmpty)
            {
                TensorPrimitives.Add(row, gradient, row);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(gradient, values[n], row, row);
            }
        }
    }

    /// <summary>A 40-byte row (D = 10) straddles two cache lines more often than not: ask for both ends
    /// (1.11-1.14 → 0.79-0.83 µs a row of 39 ids, in-process A/B).</summary>
    private static unsafe void Prefetch(float* table, int id, int dim)
    {
        if (Sse.IsSupported)
        {
            float* row = table + (long)id * dim;
            Sse.Prefetch0(row);
            Sse.Prefetch0(row + dim - 1);
        }
    }

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
