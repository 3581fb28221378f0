using System.Numerics;
using System.Runtime.CompilerServices;

namespace Clickwise.Inference;

/// <summary>
/// A pruned embedding table [rows, D] holding only its non-zero values: a D-bit presence mask per row, packed
/// end to end, says which dimensions survive, and a running count every 8 rows locates a row's first value.
/// Overhead is D/8 + 1 bytes a row, so at 90% sparsity a D = 10 table takes about 0.16× the dense bytes; finding
/// a row costs a popcount over at most 7 rows' bits (≤ 2 words for D = 10), so a gather stays a few nanoseconds.
/// </summary>
public sealed class CompactEmbeddingTable
{
    private const int RowsPerBlock = 8;

    private readonly ulong[] _presence;
    private readonly long[] _blockStart;
    private readonly float[] _values;

    private CompactEmbeddingTable(int rows, int dim, ulong[] presence, long[] blockStart, float[] values)
    {
        RowCount = rows;
        Dim = dim;
        _presence = presence;
        _blockStart = blockStart;
        _values = values;
    }

    public int RowCount { get; }

    public int Dim { get; }

    public long NonZeroCount => _values.LongLength;

    public long Bytes => (_presence.LongLength + _blockStart.LongLength) * sizeof(ulong) + _values.LongLength * sizeof(float);

    public static CompactEmbeddingTable FromDense(ReadOnlySpan<float> table, int dim)
    {
        if (dim < 1 || dim > 64 || table.Length % dim != 0)
        {
            throw new ArgumentException($"a compact table needs 1 ≤ D ≤ 64 dividing the table length; got D={dim}, length {table.Length}");
        }

        int rows = table.Length / dim;
        var presence = new ulong[((long)rows * dim + 63) / 64];
        var blockStart = new long[(rows + RowsPerBlock - 1) / RowsPerBlock];
        long nonZero = 0;
        for (int i = 0; i < table.Length; i++)
        {
            if (table[i] != 0f)
            {
                presence[i >> 6] |= 1UL << (i & 63);
                nonZero++;
            }
        }

        var values = new float[nonZero];
        long at = 0;
        for (int r = 0; r < rows; r++)
        {
            if (r % RowsPerBlock == 0)
            {
                blockStart[r / RowsPerBlock] = at;
            }

            foreach (float v in table.Slice(r * dim, dim))
            {
                if (v != 0f)
                {
                    values[at++] = v;
                }
            }
        }

        return new CompactEmbeddingTable(rows, dim, presence, blockStart, values);
    }

    /// <summary>Writes row <paramref name="row"/> (zeros where pruned) into <paramref name="destination"/> [D].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyRow(int row, Span<float> destination)
    {
        if ((uint)row >= (uint)RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"row {row} of a {RowCount}-row table");
        }

        int dim = Dim;
        long bit = (long)row * dim;
        long start = _blockStart[row / RowsPerBlock] + CountBits((long)(row - row % RowsPerBlock) * dim, bit);
        ulong mask = ReadBits(bit, dim);
        destination[..dim].Clear();
        while (mask != 0)
        {
            int d = BitOperations.TrailingZeroCount(mask);
            destination[d] = _values[start++];
            mask &= mask - 1;
        }
    }

    /// <summary>Expands back to the dense [rows, D] table.</summary>
    public float[] ToDense()
    {
        var dense = new float[(long)RowCount * Dim];
        for (int r = 0; r < RowCount; r++)
        {
            CopyRow(r, dense.AsSpan(r * Dim, Dim));
        }

        return dense;
    }

    // Set bits in [from, to) of the presence stream.
    private long CountBits(long from, long to)
    {
        long count = 0;
        while (from < to)
        {
            int offset = (int)(from & 63);
            int take = (int)Math.Min(64 - offset, to - from);
            ulong word = _presence[from >> 6] >> offset;
            count += BitOperations.PopCount(take == 64 ? word : word & ((1UL << take) - 1));
            from += take;
        }

        return count;
    }

    // `count` (≤ 64) bits of the presence stream starting at `from`, low bit first.
    private ulong ReadBits(long from, int count)
    {
        int offset = (int)(from & 63);
        ulong bits = _presence[from >> 6] >> offset;
        if (offset + count > 64)
        {
            bits |= _presence[(from >> 6) + 1] << (64 - offset);
        }

        return count == 64 ? bits : bits & ((1UL << count) - 1);
    }
}
