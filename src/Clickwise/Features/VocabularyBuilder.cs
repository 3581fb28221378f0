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
    private readonly int[] _keepAt;
    private readonly BucketTokens _buckets = new();

    public VocabularyBuilder(IReadOnlyList<FeatureSpec> specs, uint hashSeed = 0)
        : this(specs, hashSeed, shares: 1)
    {
    }

    /// <summary>
    /// A builder that counts one of <paramref name="shares"/> parts of the rows, to be <see cref="Merge"/>d with the others.
    /// It keeps a token's bytes once its count here reaches ⌈min count / shares⌉: a token whose counts over all parts reach
    /// the min count reaches that in at least one part, so the merged builder has the bytes of every token it keeps.
    /// </summary>
    internal VocabularyBuilder(IReadOnlyList<FeatureSpec> specs, uint hashSeed, int shares)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shares, 1);
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
        _keepAt = new int[_specs.Length];
        for (int f = 0; f < _specs.Length; f++)
        {
            _keepAt[f] = (_specs[f].MinCount + shares - 1) / shares;
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
            if (counts is null || !FieldToken.TryGet(record, f, _specs[f].Buckets ? _buckets : null, out ReadOnlySpan<byte> token))
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
        ulong hash = Hash(token);
        if (Increment(field, hash))
        {
            Keep(field, hash, token);
        }
    }

    /// <summary>Whether <paramref name="field"/> has counts (a hashed field has none).</summary>
    internal bool Counts(int field) => _counts[field] is not null;

    /// <summary>The key a token is counted under.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong Hash(ReadOnlySpan<byte> token) => TokenHash.Hash64(token, HashSeed);

    /// <summary>One more occurrence of the token hashed to <paramref name="hash"/>; true when its bytes must be kept now (<see cref="Keep"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Increment(int field, ulong hash)
    {
        ref int count = ref _counts[field]!.GetValueRefOrAddDefault(hash, out _);
        if (count < int.MaxValue)
        {
            count++;
        }

        return count == _keepAt[field];
    }

    /// <summary>Brings the count of <paramref name="hash"/> into cache ahead of its <see cref="Increment"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Prefetch(int field, ulong hash) => _counts[field]!.Prefetch(hash);

    internal void Keep(int field, ulong hash, ReadOnlySpan<byte> token) => _kept[field]!.Add(hash, token.ToArray());

    /// <summary>Rows counted by a caller that counts their tokens through <see cref="Increment"/>.</summary>
    internal void AddRows(long rows) => Rows += rows;

    /// <summary>Adds the counts and kept tokens of a builder that counted other rows of the same data.</summary>
    internal void Merge(VocabularyBuilder other)
    {
        for (int f = 0; f < _specs.Length; f++)
        {
            if (_counts[f] is not { } counts)
            {
                continue;
            }

            foreach ((ulong hash, int count) in other._counts[f]!.Entries())
            {
                ref int sum = ref counts.GetValueRefOrAddDefault(hash, out _);
                sum = (int)Math.Min(int.MaxValue, (long)sum + count);
            }

            Dictionary<ulong, byte[]> kept = _kept[f]!;
            foreach ((ulong hash, byte[] token) in other._kept[f]!)
            {
                // Two tokens under one hash (odds ~n²/2⁶⁵) keep the ordinal first, whichever part saw which.
                if (!kept.TryAdd(hash, token) && token.AsSpan().SequenceCompareTo(kept[hash]) < 0)
                {
                    kept[hash] = token;
                }
            }
        }

        Rows += other.Rows;
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
        int minCount = _specs[field].MinCount;
        var entries = kept.Select(kv => (Count: counts.GetValueOrDefault(kv.Key), Token: kv.Value)).Where(e => e.Count >= minCount).ToArray();
        Array.Sort(entries, static (a, b) =>
        {
            int byCount = b.Count.CompareTo(a.Count);
            return byCount != 0 ? byCount : a.Token.AsSpan().SequenceCompareTo(b.Token);
        });
        return entries.Select(e => e.Token).ToArray();
    }
}
