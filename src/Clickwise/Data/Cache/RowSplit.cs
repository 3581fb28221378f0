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
        ratios.Validate();
        RowCount = rowCount;
        Mode = mode;
        Ratios = ratios;
        Seed = seed;
        _key = KeyOf(seed);
        _trainEnd = ratios.Train;
        _validEnd = ratios.Train + ratios.Valid;
        if (mode == SplitMode.Sequential)
        {
            long trainRows = SequentialTrainRows(rowCount, ratios);
            long validRows = Math.Min(rowCount, (long)Math.Round(rowCount * _validEnd)) - trainRows;
            _counts[(int)SplitPart.Train] = trainRows;
            _counts[(int)SplitPart.Valid] = validRows;
            _counts[(int)SplitPart.Test] = rowCount - trainRows - validRows;
        }
        else
        {
            for (long row = 0; row < rowCount; row++)
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

    public SplitPart PartOf(long row)
    {
        if ((ulong)row >= (ulong)RowCount)
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
            return new RowSubset(this, part, 0, RowCount, Count(part));
        }

        long start = part switch
        {
            SplitPart.Train => 0,
            SplitPart.Valid => Count(SplitPart.Train),
            _ => Count(SplitPart.Train) + Count(SplitPart.Valid),
        };
        return RowSubset.Range(start, Count(part));
    }

    /// <summary>
    /// The part of <paramref name="row"/> in random mode, known before the row count is: the vocabulary is fitted on the
    /// training rows while the rows stream in, before the cache (and so the split) exists.
    /// </summary>
    public static SplitPart RandomPartOf(long row, SplitRatios ratios, int seed) =>
        RandomPart(row, KeyOf(seed), ratios.Train, ratios.Train + ratios.Valid);

    /// <summary>The training rows (the first ones) of a sequential split of <paramref name="rowCount"/> rows.</summary>
    public static long SequentialTrainRows(long rowCount, SplitRatios ratios) => (long)Math.Round(rowCount * ratios.Train);

    private static ulong KeyOf(int seed) => MurmurHash3.FMix64((uint)seed ^ 0x5851F42D4C957F2DUL);

    private SplitPart RandomPart(long row) => RandomPart(row, _key, _trainEnd, _validEnd);

    private static SplitPart RandomPart(long row, ulong key, double trainEnd, double validEnd)
    {
        // Multiply by an odd constant (a bijection) and finalise: adjacent rows get independent-looking draws.
        ulong bits = MurmurHash3.FMix64(((ulong)row * 0x9E3779B97F4A7C15UL) ^ key);
        double u = (bits >> 11) * (1.0 / (1UL << 53));
        return u < trainEnd ? SplitPart.Train : u < validEnd ? SplitPart.Valid : SplitPart.Test;
    }
}
