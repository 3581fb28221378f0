using System.Numerics;

namespace Clickwise.Compression.Pruning;

/// <summary>
/// Which entries of one tensor are pruned, one bit each. Masks persist through training: after every optimizer
/// step <see cref="Apply"/> puts the pruned entries back to zero, and the optimizer clears their state.
/// </summary>
public sealed class PruneMask
{
    private readonly ulong[] _bits;

    public PruneMask(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _bits = new ulong[(length + 63) / 64];
    }

    public long Length { get; }

    public long PrunedCount
    {
        get
        {
            long count = 0;
            foreach (ulong word in _bits)
            {
                count += BitOperations.PopCount(word);
            }

            return count;
        }
    }

    public double Sparsity => Length == 0 ? 0 : PrunedCount / (double)Length;

    public bool IsPruned(long index) => (_bits[index >> 6] & (1UL << (int)(index & 63))) != 0;

    public void Prune(long index) => _bits[index >> 6] |= 1UL << (int)(index & 63);

    public void Clear() => Array.Clear(_bits);

    /// <summary>Zeroes the pruned entries of <paramref name="values"/> (the tensor this mask was made for).</summary>
    public void Apply(Span<float> values)
    {
        if (values.Length != Length)
        {
            throw new ArgumentException($"mask of {Length} entries applied to a tensor of {values.Length}");
        }

        for (int w = 0; w < _bits.Length; w++)
        {
            ulong word = _bits[w];
            while (word != 0)
            {
                int bit = BitOperations.TrailingZeroCount(word);
                values[(w << 6) + bit] = 0f;
                word &= word - 1;
            }
        }
    }

    /// <summary>
    /// As <see cref="Apply"/> but only over the given rows of a [rows, width] table — the rows a row-sparse step
    /// touched, the only ones it can have moved.
    /// </summary>
    public void ApplyRows(Span<float> values, ReadOnlySpan<int> rows, int width)
    {
        if (values.Length != Length)
        {
            throw new ArgumentException($"mask of {Length} entries applied to a tensor of {values.Length}");
        }

        foreach (int row in rows)
        {
            long start = (long)row * width;
            for (long i = start; i < start + width; i++)
            {
                if (IsPruned(i))
                {
                    values[(int)i] = 0f;
                }
            }
        }
    }

    /// <summary>Marks every entry that is exactly zero as pruned (rebuilding a persistent mask from saved weights).</summary>
    public void PruneZeros(ReadOnlySpan<float> values)
    {
        if (values.Length != Length)
        {
            throw new ArgumentException($"mask of {Length} entries built from a tensor of {values.Length}");
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] == 0f)
            {
                Prune(i);
            }
        }
    }
}
