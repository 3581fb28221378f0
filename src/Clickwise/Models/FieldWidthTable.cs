using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Clickwise.Features;
using Clickwise.Kernels;

namespace Clickwise.Models;

/// <summary>
/// OptEmbed's compact table (seed 004, step 4): only the kept rows, each field's at its own width D_f, packed field after
/// field. A bitmap over the V global rows says which are kept and a running count per 64-bit word ranks them, so a lookup
/// costs one popcount: 1 bit a row in the model file, 1.5 in memory (the 32-bit count per word is rebuilt at load). A
/// pruned id reads zeros, or in OOV mode its field's OOV row (always kept). Rows come back zero-padded to D, which the
/// interaction parts read; the dimensions past D_f are zero in the masked model too, so the table is exact.
/// </summary>
public sealed class FieldWidthTable
{
    /// <summary>Lane masks keeping the first 0..8 lanes of a vector.</summary>
    private static readonly Vector256<float>[] LaneMasks =
        [.. Enumerable.Range(0, Vector256<float>.Count + 1).Select(n => Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(n)).AsSingle())];

    private readonly FeatureLayout _layout;
    private readonly ulong[] _kept;
    private readonly int[] _rank;
    private readonly float[] _values;
    private readonly int _valueCount;
    private readonly int[] _fieldStart;
    private readonly int[] _keptBefore;
    private readonly int[] _oovRank;

    /// <param name="fieldDims">[F] the widths D_f ≤ D.</param>
    /// <param name="kept">[⌈V/64⌉] bit r % 64 of word r / 64 set when row r is kept.</param>
    /// <param name="values">The kept rows in row order, row r of field f D_f wide.</param>
    public FieldWidthTable(FeatureLayout layout, int dim, int[] fieldDims, ulong[] kept, float[] values, PrunedRows pruned)
    {
        int fields = layout.FieldCount;
        if (fieldDims.Length != fields || fieldDims.Any(d => d < 1 || d > dim))
        {
            throw new ArgumentException($"a compact table needs {fields} widths in 1..{dim}; got [{string.Join(", ", fieldDims)}]");
        }

        if (kept.Length != (layout.TotalRows + 63) / 64)
        {
            throw new ArgumentException($"a row bitmap of {layout.TotalRows} rows has {(layout.TotalRows + 63) / 64} words; got {kept.Length}");
        }

        _layout = layout;
        Dim = dim;
        FieldDims = fieldDims;
        PrunedRows = pruned;
        _kept = kept;
        // D floats of padding let a row be read in whole vectors past its width (the lanes past D_f are masked off).
        _values = new float[values.LongLength + dim];
        values.CopyTo(_values, 0);
        _valueCount = values.Length;
        _rank = new int[kept.Length];
        for (int w = 1; w < kept.Length; w++)
        {
            _rank[w] = _rank[w - 1] + BitOperations.PopCount(kept[w - 1]);
        }

        _fieldStart = new int[fields];
        _keptBefore = new int[fields];
        _oovRank = new int[fields];
        KeptRows = new int[fields];
        long at = 0;
        for (int f = 0; f < fields; f++)
        {
            int first = layout.Offsets[f];
            _keptBefore[f] = Rank(first);
            KeptRows[f] = Rank(first + layout.Sizes[f]) - _keptBefore[f];
            _fieldStart[f] = checked((int)at);
            at += (long)KeptRows[f] * fieldDims[f];
            int oov = first + FeatureMap.OovId;
            _oovRank[f] = pruned == PrunedRows.Oov && IsKept(oov) ? Rank(oov) : -1;
        }

        if (at != values.LongLength)
        {
            throw new ArgumentException($"the kept rows at their widths hold {at} values; got {values.LongLength}");
        }
    }

    /// <summary>The compact form of what <paramref name="mask"/> serves of its table.</summary>
    public static FieldWidthTable FromMask(RowMask mask)
    {
        ReadOnlySpan<float> table = mask.Table;
        FeatureLayout layout = mask.Layout;
        var kept = new ulong[(layout.TotalRows + 63) / 64];
        var values = new List<float>();
        for (int f = 0; f < layout.FieldCount; f++)
        {
            for (int r = layout.Offsets[f]; r < layout.Offsets[f] + layout.Sizes[f]; r++)
            {
                if (mask.Keeps(r, f))
                {
                    kept[r >> 6] |= 1UL << (r & 63);
                    values.AddRange(table.Slice(r * mask.Dim, mask.FieldDims[f]));
                }
            }
        }

        return new FieldWidthTable(layout, mask.Dim, mask.FieldDims, kept, [.. values], mask.PrunedRows);
    }

    public int Dim { get; }

    public int FieldCount => _layout.FieldCount;

    /// <summary>[F] each field's width D_f.</summary>
    public int[] FieldDims { get; }

    /// <summary>[F] each field's kept rows.</summary>
    public int[] KeptRows { get; }

    public PrunedRows PrunedRows { get; }

    /// <summary>The row bitmap (what a model file stores besides <see cref="Values"/>).</summary>
    public ReadOnlyMemory<ulong> KeptBits => _kept;

    /// <summary>The kept rows at their widths, field after field.</summary>
    public ReadOnlyMemory<float> Values => _values.AsMemory(0, _valueCount);

    /// <summary>Bytes in memory: the values, the bitmap and its per-word counts.</summary>
    public long Bytes => (_valueCount * (long)sizeof(float)) + (_kept.LongLength * sizeof(ulong)) + (_rank.LongLength * sizeof(int));

    /// <summary>Bytes in a model file: the values and the bitmap.</summary>
    public long StoredBytes => (_valueCount * (long)sizeof(float)) + (_kept.LongLength * sizeof(ulong));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsKept(int row) => (_kept[row >> 6] & (1UL << (row & 63))) != 0;

    /// <summary>
    /// Writes row <paramref name="row"/> of field <paramref name="field"/> as the masked model reads it, scaled by
    /// <paramref name="scale"/>, into <paramref name="destination"/> [D]. The caller knows the field (a lookup's position),
    /// which spares a random read of a row-to-field table.
    /// </summary>
    public void CopyRow(int row, int field, float scale, Span<float> destination) => CopyAt(Start(row, field), field, scale, destination);

    /// <summary><see cref="CopyRow"/> of a row already located (<see cref="Start"/>), so a gather that prefetched it locates it once.</summary>
    public void CopyAt(int start, int field, float scale, Span<float> destination)
    {
        int width = FieldDims[field];
        if (start >= 0 && Vector256.IsHardwareAccelerated && Dim % Vector256<float>.Count == 0)
        {
            // Whole vectors over D: the row's D_f values scaled, the lanes past them (the next row's values or the padding) zeroed.
            ref float source = ref _values[start];
            ref float target = ref MemoryMarshal.GetReference(destination[..Dim]);
            for (int d = 0; d < Dim; d += Vector256<float>.Count)
            {
                Vector256<float> lanes = LaneMasks[Math.Clamp(width - d, 0, Vector256<float>.Count)];
                ((Vector256.LoadUnsafe(ref source, (nuint)d) * scale) & lanes).StoreUnsafe(ref target, (nuint)d);
            }

            return;
        }

        CopyScaled(start < 0 ? default : _values.AsSpan(start, width), scale, destination);
    }

    /// <summary>Asks the cache for the values a located row reads: a gather does it some lookups ahead, as the dense kernel does.</summary>
    public unsafe void Prefetch(int start, int field)
    {
        if (start >= 0)
        {
            fixed (float* values = _values)
            {
                CachePrefetch.Row(values, start, FieldDims[field]);
            }
        }
    }

    private void CopyScaled(ReadOnlySpan<float> source, float scale, Span<float> destination)
    {
        for (int d = 0; d < source.Length; d++)
        {
            destination[d] = source[d] * scale;
        }

        destination[source.Length..Dim].Clear();
    }

    /// <summary>Adds row <paramref name="row"/> times <paramref name="scale"/> onto <paramref name="destination"/> [D] (a multi-hot field's further features).</summary>
    public void AddRow(int row, int field, float scale, Span<float> destination)
    {
        ReadOnlySpan<float> source = Row(row, field);
        for (int d = 0; d < source.Length; d++)
        {
            destination[d] += source[d] * scale;
        }
    }

    /// <summary>The D_f stored values row <paramref name="row"/> reads (its own, or its field's OOV row); empty when it reads zeros.</summary>
    private ReadOnlySpan<float> Row(int row, int field)
    {
        int start = Start(row, field);
        return start < 0 ? default : _values.AsSpan(start, FieldDims[field]);
    }

    /// <summary>Where the values row <paramref name="row"/> reads start (its own, or its field's OOV row's); −1 when it reads zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Start(int row, int field)
    {
        int rank = IsKept(row) ? Rank(row) : _oovRank[field];
        return rank < 0 ? -1 : _fieldStart[field] + ((rank - _keptBefore[field]) * FieldDims[field]);
    }

    /// <summary>The dense [V, D] table the compact one came from as the masked model reads it: kept rows, zeros elsewhere and past D_f.</summary>
    public float[] ToDense()
    {
        var dense = new float[(long)_layout.TotalRows * Dim];
        for (int f = 0; f < FieldCount; f++)
        {
            for (int r = _layout.Offsets[f]; r < _layout.Offsets[f] + _layout.Sizes[f]; r++)
            {
                if (IsKept(r))
                {
                    CopyRow(r, f, 1f, dense.AsSpan(r * Dim, Dim));
                }
            }
        }

        return dense;
    }

    /// <summary>[V] 1 for a kept row, 0 for a pruned one: the <c>embedding.kept</c> parameter.</summary>
    public float[] KeptMask() => [.. Enumerable.Range(0, _layout.TotalRows).Select(r => IsKept(r) ? 1f : 0f)];

    /// <summary>Kept rows before <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Rank(int row)
    {
        int word = row >> 6, bit = row & 63;
        return word == _kept.Length ? _rank[^1] + BitOperations.PopCount(_kept[^1])
            : _rank[word] + BitOperations.PopCount(_kept[word] & ((1UL << bit) - 1));
    }
}
