using Clickwise.Data.Cache;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// The rows of one part of a saved split, read again from the text a model was trained on: the split decides by row index
/// (in reading order, bad lines not counted), exactly as <see cref="DatasetBuilder"/> decided while preparing, so
/// <c>eval --split test</c> on the training file sees the rows the model was tested on and none it trained on.
/// </summary>
public sealed class SplitPartReader : IRecordReader
{
    private readonly IRecordReader _inner;
    private readonly Func<long, SplitPart> _partOf;
    private readonly SplitPart _part;
    private long _row;

    private SplitPartReader(IRecordReader inner, Func<long, SplitPart> partOf, SplitPart part)
    {
        _inner = inner;
        _partOf = partOf;
        _part = part;
    }

    public DataSchema Schema => _inner.Schema;

    /// <summary>The reader's counts: every line read, the other parts' rows included.</summary>
    public BadLineStats Stats => _inner.Stats;

    /// <param name="open">Opens the data; a sequential split counts its rows first, in one more pass.</param>
    /// <param name="ratios">The ratios the training data was split by (parts given as files have 0).</param>
    public static SplitPartReader Open(Func<IRecordReader> open, SplitMode mode, SplitRatios ratios, int seed, SplitPart part)
    {
        Func<long, SplitPart> partOf = mode == SplitMode.Random
            ? row => RowSplit.RandomPartOf(row, ratios, seed)
            : new RowSplit(DatasetBuilder.CountRows(open), mode, ratios, seed).PartOf;
        return new SplitPartReader(open(), partOf, part);
    }

    public bool Read(RawRecord record)
    {
        while (_inner.Read(record))
        {
            if (_partOf(_row++) == _part)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => _inner.Dispose();
}
