using System.Numerics.Tensors;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// The backward of the FFM pairwise term y[b] = Σ_{i&lt;j} x_i x_j ⟨T[id_i][j], T[id_j][i]⟩ (the forward is
/// <see cref="IFFMKernel"/>, the registry's), read from the field-aware table in place, where
/// the table row T[id] [F, D] holds the vectors feature id keeps for meeting each field, id_i = ids[b, i] and
/// x_i = values[b, i] (1 when no values are given). The diagonal block T[id_i][i] takes no part (and gets no gradient).
/// Nothing [B, F, F, D]-sized is materialised: backward adds straight into the touched rows' gradient.
/// </summary>
/// <remarks>
/// FFM (Juan et al., "Field-aware Factorization Machines for CTR Prediction", RecSys 2016), eq. 2:
/// φ(w, x) = Σ_{j1&lt;j2} ⟨w_{j1,f2}, w_{j2,f1}⟩ x_{j1} x_{j2}. A table for it is [V, F·D]: row id holds the F field-aware
/// vectors of that feature, field-major.
/// </remarks>
public static class FieldAwareInteraction
{
    /// <summary>
    /// Adds ∂L/∂T[id_i] = dy[b]·x_i·x_j·T[id_j][i] into block j of lookup (b, i)'s gradient row
    /// dRows[slots[b, i]] [F·D], for the lookups whose slot part <paramref name="part"/> of <paramref name="partCount"/>
    /// owns (<see cref="SlotOwnership"/>). Each slot is summed in lookup order by its one owner, so the result is
    /// the same for any part count.
    /// </summary>
    /// <param name="dOutput">[B].</param>
    /// <param name="slots">[B, F] gradient rows of the lookups (<see cref="RowGradient.Register"/>).</param>
    /// <param name="dRows">[slots, F·D], accumulated.</param>
    public static unsafe void Backward(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                                       ReadOnlySpan<float> dOutput, ReadOnlySpan<int> slots, int batchSize, int fieldCount, int dim,
                                       Span<float> dRows, int part, int partCount)
    {
        int f = fieldCount, width = f * dim;
        fixed (float* tablePointer = table)
        fixed (int* idPointer = ids)
        {
            if (batchSize > 0)
            {
                Embedding.PrefetchRows(tablePointer, idPointer, f, width);
            }

            for (int b = 0; b < batchSize; b++)
            {
                if (b + 1 < batchSize)
                {
                    Embedding.PrefetchRows(tablePointer, idPointer + (b + 1) * f, f, width);
                }

                AddSampleGradient(table, ids, values, dOutput[b], slots, b, f, dim, dRows, part, partCount);
            }
        }
    }

    /// <summary>
    /// <see cref="Backward"/> for a batch with multi-hot fields (<see cref="PooledFieldAwareRows"/>): every feature k of
    /// field i gets ∂L/∂T[id_ik][j] = dy[b]·x_ik·P_j[i], the first features through <paramref name="slots"/>, the extra ones
    /// through <paramref name="extraSlots"/> after them, row by row, so each slot's sum has one order for any part count.
    /// </summary>
    /// <param name="extraSlots">[E] gradient rows of the extra features, indexed like their entries.</param>
    public static void BackwardPooled(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras,
                                      ReadOnlySpan<float> dOutput, ReadOnlySpan<int> slots, ReadOnlySpan<int> extraSlots, int batchSize,
                                      int fieldCount, int dim, Span<float> dRows, int part, int partCount)
    {
        int f = fieldCount, width = f * dim;
        for (int start = 0; start < batchSize; start += PooledFieldAwareRows.BlockRows)
        {
            int rows = Math.Min(PooledFieldAwareRows.BlockRows, batchSize - start);
            ReadOnlySpan<float> pooled = PooledFieldAwareRows.Pool(table, ids, values, extras, f, dim, start, rows);
            for (int b = start; b < start + rows; b++)
            {
                ReadOnlySpan<float> pooledRow = pooled.Slice((b - start) * f * width, f * width);
                for (int i = 0; i < f; i++)
                {
                    int lookup = b * f + i;
                    AddPooledGradient(pooledRow, dOutput[b] * Value(values, lookup), slots[lookup], i, f, dim, dRows, part, partCount);
                    for (int e = extras.Offsets[lookup]; e < extras.Offsets[lookup + 1]; e++)
                    {
                        AddPooledGradient(pooledRow, dOutput[b] * extras.Values[e], extraSlots[e], i, f, dim, dRows, part, partCount);
                    }
                }
            }
        }
    }

    /// <summary>dRows[slot][j] += g·P_j[i] for j ≠ i, when part <paramref name="part"/> owns the slot.</summary>
    private static void AddPooledGradient(ReadOnlySpan<float> pooledRow, float g, int slot, int i, int f, int dim, Span<float> dRows,
                                          int part, int partCount)
    {
        if (!SlotOwnership.Owns(slot, part, partCount))
        {
            return;
        }

        int width = f * dim;
        Span<float> dRow = dRows.Slice(slot * width, width);
        for (int j = 0; j < f; j++)
        {
            if (j != i)
            {
                Span<float> target = dRow.Slice(j * dim, dim);
                TensorPrimitives.MultiplyAdd(pooledRow.Slice(j * width + i * dim, dim), g, target, target);
            }
        }
    }

    /// <summary>Sample b's part of <see cref="Backward"/>.</summary>
    private static void AddSampleGradient(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, float g,
                                          ReadOnlySpan<int> slots, int b, int f, int dim, Span<float> dRows, int part, int partCount)
    {
        int width = f * dim;
        for (int i = 0; i < f; i++)
        {
            int slot = slots[b * f + i];
            if (!SlotOwnership.Owns(slot, part, partCount))
            {
                continue;
            }

            Span<float> dRow = dRows.Slice(slot * width, width);
            float gi = g * Value(values, b * f + i);
            for (int j = 0; j < f; j++)
            {
                if (j != i)
                {
                    ReadOnlySpan<float> other = table.Slice(ids[b * f + j] * width + i * dim, dim);
                    Span<float> target = dRow.Slice(j * dim, dim);
                    TensorPrimitives.MultiplyAdd(other, gi * Value(values, b * f + j), target, target);
                }
            }
        }
    }

    private static float Value(ReadOnlySpan<float> values, int lookup) => values.IsEmpty ? 1f : values[lookup];
}
