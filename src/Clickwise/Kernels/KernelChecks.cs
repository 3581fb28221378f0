using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Clickwise.Kernels;

/// <summary>Shape checks shared by the reference and fast kernels, so both reject the same bad calls.</summary>
internal static class KernelChecks
{
    public static void Length(long actual, long required, string name)
    {
        if (actual < required)
        {
            throw new ArgumentException($"{name} has {actual} elements, needs {required}.", name);
        }
    }

    /// <summary>An optimizer update's spans (w, g and two state slots; pass w's length for a slot it has not).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // called once per embedding row
    public static void SameLength(int w, int g, int slot1, int slot2)
    {
        if (g != w || slot1 != w || slot2 != w)
        {
            ThrowLengths(w, g, slot1, slot2);
        }
    }

    /// <summary>
    /// A lazy row update: w, m and v hold the same whole rows, steps one count per row, grads one row per touched row.
    /// Row indices are checked as they are read.
    /// </summary>
    public static void AdamRows(int w, int m, int v, int steps, int rows, int grads, int width)
    {
        OptimizerRows(w, m, v, rows, grads, width);
        if (steps != 0 && (long)steps * width != w)
        {
            throw new ArgumentException($"steps has {steps} rows, the table {w / (double)width} of width {width}.", nameof(steps));
        }
    }

    /// <summary>A touched row's index, checked before anything of it is written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Row(int row, int tableRows)
    {
        if ((uint)row >= (uint)tableRows)
        {
            ThrowRow(row, tableRows);
        }
    }

    [DoesNotReturn]
    private static void ThrowRow(int row, int tableRows) =>
        throw new ArgumentOutOfRangeException(nameof(row), row, $"row {row} is outside a table of {tableRows} rows");

    /// <summary>A lazy row update with slots but no step counts (pass w's length for a slot it has not).</summary>
    public static void OptimizerRows(int w, int slot1, int slot2, int rows, int grads, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        SameLength(w, w, slot1, slot2);
        if (w % width != 0)
        {
            throw new ArgumentException($"w has {w} elements, not whole rows of {width}.", nameof(w));
        }

        Length(grads, (long)rows * width, nameof(grads));
    }

    public static void MatVec(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
                              ReadOnlySpan<float> y, int inputSize, int outputSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegative(outputSize);
        Length(x.Length, inputSize, nameof(x));
        Length(weight.Length, (long)inputSize * outputSize, nameof(weight));
        Length(y.Length, outputSize, nameof(y));
        if (!bias.IsEmpty)
        {
            Length(bias.Length, outputSize, nameof(bias));
        }
    }

    public static void Embedding(int tableLength, int dim, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                                 int outputLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        Length(outputLength, (long)ids.Length * dim, "output");
        if (!values.IsEmpty)
        {
            Length(values.Length, ids.Length, nameof(values));
        }

        int rows = tableLength / dim;
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)rows)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), $"id {id} outside table of {rows} rows.");
            }
        }
    }

    /// <summary>The checks of <see cref="IEmbeddingKernel.GatherExtra"/>: offsets in order, ids inside the table.</summary>
    public static void GatherExtra(int tableLength, int dim, ExtraLookups extras, int outputLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        if (extras.IsEmpty)
        {
            return;
        }

        Length(outputLength, (long)(extras.Offsets.Length - 1) * dim, "output");
        int rows = tableLength / dim;
        for (int n = 0; n + 1 < extras.Offsets.Length; n++)
        {
            if (extras.Offsets[n] < 0 || extras.Offsets[n + 1] < extras.Offsets[n])
            {
                throw new ArgumentException($"extra offsets decrease at lookup {n}.", nameof(extras));
            }

            for (int e = extras.Offsets[n]; e < extras.Offsets[n + 1]; e++)
            {
                if ((uint)extras.Ids[e] >= (uint)rows)
                {
                    throw new ArgumentOutOfRangeException(nameof(extras), $"id {extras.Ids[e]} outside table of {rows} rows.");
                }
            }
        }
    }

    /// <summary>The checks of <see cref="IEmbeddingKernel.ScatterExtra"/> but the slots' (<see cref="Slot"/>).</summary>
    public static void ScatterExtra(int dOutputLength, int dim, ExtraLookups extras, ReadOnlySpan<int> slots, int part, int partCount)
    {
        Scatter(dOutputLength, dim, default, default, part, partCount);
        if (extras.IsEmpty)
        {
            return;
        }

        Length(dOutputLength, (long)(extras.Offsets.Length - 1) * dim, "dOutput");
        Length(slots.Length, extras.Offsets[^1], nameof(slots));
    }

    /// <summary>The checks of <see cref="IEmbeddingKernel.Scatter"/> but the slots' (<see cref="Slot"/>).</summary>
    public static void Scatter(int dOutputLength, int dim, ReadOnlySpan<int> slots, ReadOnlySpan<float> values,
                               int part, int partCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(partCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, partCount);
        Length(dOutputLength, (long)slots.Length * dim, "dOutput");
        if (!values.IsEmpty)
        {
            Length(values.Length, slots.Length, nameof(values));
        }

    }

    /// <summary>A scatter's check of one owned slot, inline in its loop (a separate pass over the slots costs ~10%).</summary>
    public static void Slot(int slot, int rowCount)
    {
        if ((uint)slot >= (uint)rowCount)
        {
            throw new ArgumentOutOfRangeException("slots", $"slot {slot} outside {rowCount} gradient rows.");
        }
    }

    public static void FM(int embLength, int batchSize, int fieldCount, int dim, int sumLength, int yLength)
    {
        Sizes(batchSize, fieldCount, dim);
        Length(embLength, (long)batchSize * fieldCount * dim, "emb");
        Length(sumLength, (long)batchSize * dim, "sum");
        Length(yLength, batchSize, "y");
    }

    public static void FwFM(int embLength, int pairWeightLength, int batchSize, int fieldCount, int dim, int yLength)
    {
        Sizes(batchSize, fieldCount, dim);
        Length(embLength, (long)batchSize * fieldCount * dim, "emb");
        Length(pairWeightLength, (long)fieldCount * fieldCount, "pairWeight");
        Length(yLength, batchSize, "y");
    }

    /// <summary>The checks of <see cref="IFwFMKernel.Backward"/>.</summary>
    public static void FwFMBackward(int embLength, int pairWeightLength, int batchSize, int fieldCount, int dim, int dYLength,
                                    int dEmbLength, int dPairWeightLength)
    {
        FwFM(embLength, pairWeightLength, batchSize, fieldCount, dim, dYLength);
        Length(dEmbLength, embLength, "dEmb");
        Length(dPairWeightLength, pairWeightLength, "dPairWeight");
    }

    [DoesNotReturn]
    private static void ThrowLengths(int w, int g, int slot1, int slot2) =>
        throw new ArgumentException($"w ({w}), g ({g}) and the state slots ({slot1}, {slot2}) differ in length.");

    private static void Sizes(int batchSize, int fieldCount, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(fieldCount);
        ArgumentOutOfRangeException.ThrowIfNegative(dim);
    }
}
