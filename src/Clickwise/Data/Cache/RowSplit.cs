using Clickwise.Features;

namespace Clickwise.Data.Cache;

/// <summary>
/// Assigns each of N rows to train, valid or test. Random mode draws a uniform number per row from a seeded hash
/// of the row index, so no N-sized array exists and any row's part is known in O(1); the part sizes follow the
/// ratios up to binomial noise (±0.1% of N at 1M rows). Sequential mode cuts row order at rounded ratio boundaries.
/// </summary>
public sealed class RowSplit
{
    private readonly ulong _key;
    private readonly double _trainEnd;
    private readonly double _validEnd;
    private readonly long[] _counts = new long[3];

    public RowSplit(long rowCount, SplitMode mode, SplitRatios ratios, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowCount, int.MaxValue);
        ratios.Validate();
        RowCount = rowCount;
        Mode = mode;
        Ratios = ratios;
        Seed = seed;
        _key = MurmurHash3.FMix64((uint)seed ^ 0x5851F42D4C957F2DUL);
        _trainEnd = ratios.Train;
        _validEnd = ratios.Train + ratios.Valid;
        if (mode == SplitMode.Sequential)
        {
            long trainRows = (long)Math.Round(rowCount * _trainEnd);
            long validRows = Math.Min(rowCount, (long)Math.Round(rowCount * _validEnd)) - trainRows;
            _counts[(int)SplitPart.Train] = trainRows;
            _counts[(int)SplitPart.Valid] = validRows;
            _counts[(int)SplitPart.Test] = rowCount - trainRows - validRows;
        }
        else
        {
            for (int row = 0; row < rowCount; row++)
            {
                _counts[(int)RandomPart(row)]++;
            }
        }
    }

    public long RowCount { get; }

    public SplitMode Mode { get; }

    public SplitRatios Ratios { get; }

    public int Seed { get; }

    public long Count(SplitPart part) => _counts[(int)part];

    public SplitPart PartOf(int row)
    {
        if ((uint)row >= (ulong)RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(row));
        }

        if (Mode == SplitMode.Random)
        {
            return RandomPart(row);
        }

        long trainRows = _counts[(int)SplitPart.Train];
        return row < trainRows ? SplitPart.Train
            : row < trainRows + _counts[(int)SplitPart.Valid] ? SplitPart.Valid
            : SplitPart.Test;
    }

    /// <summary>The rows of one part.</summary>
    public RowSubset Part(SplitPart part)
    {
        if (Mode == SplitMode.Random)
        {
            return new RowSubset(this, part, 0, (int)RowCount, Count(part));
        }

        int start = part switch
        {
            SplitPart.Train => 0,
            SplitPart.Valid => (int)Count(SplitPart.Train),
            _ => (int)(Count(SplitPart.Train) + Count(SplitPart.Valid)),
        };
        return RowSubset.Range(start, (int)Count(part));
    }

    private SplitPart RandomPart(int row)
    {
        // Multiply by an odd constant (a bijection) and finalise: adjacent rows get independent-looking draws.
        ulong bits = MurmurHash3.FMix64(((ulong)row * 0x9E3779B97F4A7C15UL) ^ _key);
        double u = (bits >> 11) * (1.0 / (1UL << 53));
        return u < _trainEnd ? SplitPart.Train : u < _validEnd ? SplitPart.Valid : SplitPart.Test;
    }
}
