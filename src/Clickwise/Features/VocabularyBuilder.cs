using System.Runtime.CompilerServices;
using Clickwise.Data;

namespace Clickwise.Features;

/// <summary>
/// Pass 1: counts tokens per field over a stream of records and builds the <see cref="FeatureMap"/>.
/// Memory is bounded by distinct tokens, not rows: counts are kept per 64-bit token hash, and a token's bytes are
/// copied only when it reaches its field's min count (so the long tail of rare tokens costs 16–32 bytes of table each).
/// Kept categories get ids 2.. ordered by count descending, then by token bytes (ordinal), so the map is the
/// same for the same data whatever the row order.
/// </summary>
/// <remarks>
/// Two distinct tokens with one 64-bit hash would share a count. With n distinct tokens the chance of any such
/// pair is about n²/2⁶⁵ (3·10⁻⁵ for Criteo's ~33M), and the effect would be one count off, so it is accepted here.
/// Encoding checks 96 hash bits (see <see cref="FieldLookup"/>).
/// </remarks>
public sealed class VocabularyBuilder
{
    private readonly FeatureSpec[] _specs;
    private readonly HashIdTable?[] _counts;
    private readonly Dictionary<ulong, byte[]>?[] _kept;
    private readonly byte[] _scratch = new byte[FieldToken.ScratchBytes];

    public VocabularyBuilder(IReadOnlyList<FeatureSpec> specs, uint hashSeed = 0)
    {
        if (specs.Count == 0)
        {
            throw new ArgumentException("at least one feature spec is needed");
        }

        _specs = specs.ToArray();
        foreach (FeatureSpec spec in _specs)
        {
            spec.Validate();
        }

        HashSeed = hashSeed;
        _counts = new HashIdTable?[_specs.Length];
        _kept = new Dictionary<ulong, byte[]>?[_specs.Length];
        for (int f = 0; f < _specs.Length; f++)
        {
            // Hashed fields need no counts: their ids come from the hash alone.
            if (_specs[f].HashBuckets == 0)
            {
                _counts[f] = new HashIdTable();
                _kept[f] = [];
            }
        }
    }

    public uint HashSeed { get; }

    /// <summary>Rows counted so far (those a filtered <see cref="Fit(IRecordReader, Func{long, bool})"/> skipped are not).</summary>
    public long Rows { get; private set; }

    /// <summary>Distinct tokens counted in a field so far (0 for hashed fields).</summary>
    public int DistinctTokens(int field) => _counts[field]?.Count ?? 0;

    /// <summary>Reads <paramref name="reader"/> to its end, counting every row; returns the rows read.</summary>
    public long Fit(IRecordReader reader) => Fit(reader, static _ => true);

    /// <summary>
    /// Reads <paramref name="reader"/> to its end and counts the rows whose index (0-based, in reading order)
    /// <paramref name="include"/> accepts: the training rows of a split. Returns the rows read, counted or not.
    /// </summary>
    public long Fit(IRecordReader reader, Func<long, bool> include)
    {
        FeatureSpecs.CheckSchema(_specs, reader.Schema);
        var record = new RawRecord(_specs.Length);
        long row = 0;
        while (reader.Read(record))
        {
            if (include(row))
            {
                Add(record);
            }

            row++;
        }

        return row;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(RawRecord record)
    {
        if (record.FieldCount != _specs.Length)
        {
            throw new ArgumentException($"the record has {record.FieldCount} fields, the specs {_specs.Length}");
        }

        for (int f = 0; f < _specs.Length; f++)
        {
            HashIdTable? counts = _counts[f];
            if (counts is null || !FieldToken.TryGet(record, f, _specs[f].Buckets, _scratch, out ReadOnlySpan<byte> token))
            {
                continue;
            }

            Count(f, token);
            for (int extra = record.FirstExtra(f); extra >= 0; extra = record.NextExtra(extra))
            {
                Count(f, record.ExtraToken(extra));
            }
        }

        Rows++;
    }

    /// <summary>One more occurrence of <paramref name="token"/> in <paramref name="field"/> (each feature of a multi-hot field counts).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Count(int field, ReadOnlySpan<byte> token)
    {
        ulong hash = MurmurHash3.Hash64(token, HashSeed);
        ref int count = ref _counts[field]!.GetValueRefOrAddDefault(hash, out _);
        if (count < int.MaxValue)
        {
            count++;
        }

        if (count == _specs[field].MinCount)
        {
            _kept[field]!.Add(hash, token.ToArray());
        }
    }

    public FeatureMap Build()
    {
        var fields = new FeatureField[_specs.Length];
        for (int f = 0; f < _specs.Length; f++)
        {
            fields[f] = new FeatureField(_specs[f], KeptTokens(f));
        }

        return new FeatureMap(fields, HashSeed);
    }

    private byte[][] KeptTokens(int field)
    {
        Dictionary<ulong, byte[]>? kept = _kept[field];
        if (kept is null)
        {
            return [];
        }

        HashIdTable counts = _counts[field]!;
        var entries = kept.Select(kv => (Count: counts.GetValueOrDefault(kv.Key), Token: kv.Value)).ToArray();
        Array.Sort(entries, static (a, b) =>
        {
            int byCount = b.Count.CompareTo(a.Count);
            return byCount != 0 ? byCount : a.Token.AsSpan().SequenceCompareTo(b.Token);
        });
        return entries.Select(e => e.Token).ToArray();
    }
}
