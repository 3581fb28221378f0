using Clickwise.Features;
using Clickwise.Kernels;

namespace Clickwise.Data.Pipeline;

/// <summary>
/// Pass 1 on one thread: counts the tokens of a chunk's training rows into this thread's <see cref="VocabularyBuilder"/>.
/// Which rows train depends on their index in the whole input, known only once the chunks before are parsed, so a chunk
/// is parsed first (its token hashes and where their bytes are kept in arrays) and counted after.
/// </summary>
internal sealed class CountingWorker : IChunkWorker<bool>
{
    private readonly FeatureSpec[] _specs;
    private readonly Func<long, bool> _include;
    private readonly RawRecord _record;
    private readonly int[] _counted;
    private readonly BucketTokens _buckets = new();
    private ulong[] _hashes = [];
    private int[] _starts = [];
    private int[] _lengths = [];
    private byte[] _spill = new byte[1 << 16];
    private int _spillUsed;

    /// <param name="shares">How many workers count the input (see <see cref="VocabularyBuilder(IReadOnlyList{FeatureSpec}, uint, int, CountSpill?)"/>).</param>
    /// <param name="spill">Where this worker's counts go when they would outgrow its share of the budget; null: never.</param>
    public CountingWorker(IReadOnlyList<FeatureSpec> specs, uint hashSeed, int shares, Func<long, bool> include, CountSpill? spill)
    {
        _specs = [.. specs];
        _include = include;
        _record = new RawRecord(_specs.Length);
        Counts = new VocabularyBuilder(specs, hashSeed, shares, spill);
        _counted = [.. Enumerable.Range(0, _specs.Length).Where(Counts.Counts)];
    }

    public VocabularyBuilder Counts { get; }

    public bool Process(IRecordReader reader, byte[] text, Func<long, long> firstRow)
    {
        FeatureSpecs.CheckSchema(_specs, reader.Schema);
        int rows = 0;
        _spillUsed = 0;
        while (reader.Read(_record))
        {
            if (_record.HasExtras)
            {
                throw new InvalidOperationException("a chunked input has no multi-hot fields");
            }

            Note(rows++, text);
        }

        long first = firstRow(rows);
        Counts.MakeRoom(rows);
        long counted = 0;
        int width = _counted.Length;
        int total = rows * width;
        int ahead = CachePrefetch.Distance;
        int fieldAhead = ahead % Math.Max(width, 1);
        for (int r = 0, at = 0; r < rows; r++)
        {
            bool train = _include(first + r);
            counted += train ? 1 : 0;
            for (int i = 0; i < width; i++, at++, ahead++)
            {
                // Counts live in tables far larger than the caches: ask for a count some tokens before it is needed.
                if (ahead < total && _lengths[ahead] >= 0)
                {
                    Counts.Prefetch(_counted[fieldAhead], _hashes[ahead]);
                }

                fieldAhead = fieldAhead + 1 == width ? 0 : fieldAhead + 1;
                if (train && _lengths[at] >= 0 && Counts.Increment(_counted[i], _hashes[at]))
                {
                    Counts.Keep(_counted[i], _hashes[at], TokenAt(text, at));
                }
            }
        }

        Counts.AddRows(counted);
        return true;
    }

    /// <summary>Keeps the hash of each counted token of row <paramref name="row"/> and where its bytes are (-1: missing).</summary>
    private void Note(int row, byte[] text)
    {
        int width = _counted.Length;
        int at = row * width;
        if (at + width > _hashes.Length)
        {
            int size = Math.Max(2 * _hashes.Length, 4096 * width);
            Array.Resize(ref _hashes, size);
            Array.Resize(ref _starts, size);
            Array.Resize(ref _lengths, size);
        }

        for (int i = 0; i < width; i++, at++)
        {
            int f = _counted[i];
            if (!FieldToken.TryGet(_record, f, _specs[f].Buckets ? _buckets : null, out ReadOnlySpan<byte> token))
            {
                _lengths[at] = -1;
                continue;
            }

            _hashes[at] = Counts.Hash(token);
            _lengths[at] = token.Length;
            (byte[]? buffer, int start) = _record.TokenSource(f);
            _starts[at] = !_specs[f].Buckets && buffer == text ? start : ~Spill(token);
        }
    }

    /// <summary>Copies a token that is not a slice of the chunk's text (a numeric field's bucket) and returns where it went.</summary>
    private int Spill(ReadOnlySpan<byte> token)
    {
        if (_spillUsed + token.Length > _spill.Length)
        {
            Array.Resize(ref _spill, Math.Max(2 * _spill.Length, _spillUsed + token.Length));
        }

        token.CopyTo(_spill.AsSpan(_spillUsed));
        _spillUsed += token.Length;
        return _spillUsed - token.Length;
    }

    private ReadOnlySpan<byte> TokenAt(byte[] text, int at)
    {
        int start = _starts[at];
        return start >= 0 ? text.AsSpan(start, _lengths[at]) : _spill.AsSpan(~start, _lengths[at]);
    }
}
