using System.Runtime.CompilerServices;
using Clickwise.Data;

namespace Clickwise.Features;

/// <summary>
/// Pass 1: counts tokens per field over a stream of records and builds the <see cref="FeatureMap"/>.
/// Memory is bounded by distinct tokens, not rows: counts are kept per 64-bit token hash, and a token's bytes are
/// copied (into a <see cref="TokenArena"/>, referenced from the count's slot) only when it reaches its field's min count,
/// so the long tail of rare tokens costs 23–46 bytes of table each.
/// Kept categories get ids 2.. ordered by count descending, then by token bytes (ordinal), so the map is the
/// same for the same data whatever the row order.
/// Given a <see cref="CountSpill"/>, the count tables stay within its budget: when they would outgrow it they are written
/// out as a sorted run and emptied, and <see cref="Build"/> merges the runs, giving the map the unbounded tables give.
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
    private readonly TokenArena _tokens = new();
    private readonly int[] _keepAt;
    private readonly BucketTokens _buckets = new();
    private readonly CountSpill? _spill;
    private readonly long _budget;
    private bool _spilled;

    public VocabularyBuilder(IReadOnlyList<FeatureSpec> specs, uint hashSeed = 0)
        : this(specs, hashSeed, shares: 1)
    {
    }

    /// <summary>
    /// A builder that counts one of <paramref name="shares"/> parts of the rows, to be <see cref="Merge"/>d with the others.
    /// It keeps a token's bytes once its count here reaches ⌈min count / shares⌉: a token whose counts over all parts reach
    /// the min count reaches that in at least one part, so the merged builder has the bytes of every token it keeps.
    /// </summary>
    /// <param name="spill">Where the counts go when they would outgrow their share of its budget (1 / <paramref name="shares"/>); null: never.</param>
    internal VocabularyBuilder(IReadOnlyList<FeatureSpec> specs, uint hashSeed, int shares, CountSpill? spill = null)
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
        _spill = spill;
        _budget = spill is null ? long.MaxValue : spill.Budget / shares;
        _counts = new HashIdTable?[_specs.Length];
        _keepAt = new int[_specs.Length];
        for (int f = 0; f < _specs.Length; f++)
        {
            _keepAt[f] = (_specs[f].MinCount + shares - 1) / shares;
            // Hashed fields need no counts: their ids come from the hash alone.
            if (_specs[f].HashBuckets == 0)
            {
                _counts[f] = new HashIdTable();
            }
        }
    }

    public uint HashSeed { get; }

    /// <summary>Rows between two checks of the memory budget in <see cref="Fit(IRecordReader, Func{long, bool})"/>.</summary>
    private const int RowsBetweenChecks = 1024;

    /// <summary>Rows counted so far (those a filtered <see cref="Fit(IRecordReader, Func{long, bool})"/> skipped are not).</summary>
    public long Rows { get; private set; }

    /// <summary>Distinct tokens counted in a field so far, since the last spill if any (0 for hashed fields).</summary>
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
            // Each row brings at most one new token per field (a multi-hot field's extras aside).
            if (row % RowsBetweenChecks == 0)
            {
                MakeRoom(RowsBetweenChecks);
            }

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

    internal void Keep(int field, ulong hash, ReadOnlySpan<byte> token)
    {
        _counts[field]!.GetValueRefOrAddDefault(hash, out _, out Span<uint> reference);
        reference[0] = _tokens.Add(token);
    }

    /// <summary>
    /// Spills the counts first when <paramref name="newTokens"/> more tokens in every field could take them past this
    /// builder's share of the budget (their tables double as they fill, so the check looks at the sizes they would reach).
    /// </summary>
    internal void MakeRoom(int newTokens)
    {
        if (_spill is not null && MemoryBytes(newTokens) > _budget)
        {
            Spill();
        }
    }

    /// <summary>The memory of the counts after <paramref name="newTokens"/> more distinct tokens in every counted field.</summary>
    private long MemoryBytes(long newTokens)
    {
        long bytes = 0;
        int counted = 0;
        foreach (HashIdTable? counts in _counts)
        {
            if (counts is not null)
            {
                bytes += counts.BytesAfter(newTokens);
                counted++;
            }
        }

        // After a spill (or with min count 1) every new token keeps its bytes: assume Criteo's 8 and a length byte.
        return bytes + _tokens.BytesAfter(_keepAt.All(keepAt => keepAt == 1) ? newTokens * counted * 9 : 0);
    }

    /// <summary>
    /// Writes the counts and kept tokens as a sorted run and empties the tables. From then on every token keeps its
    /// bytes on its first count in a run: a token whose counts reach the min count only summed over several runs must still
    /// have its bytes at the merge (while a builder has never spilled, the ⌈min count / shares⌉ rule above suffices).
    /// </summary>
    internal void Spill()
    {
        if (_spill is null || _counts.All(counts => counts is null || counts.Count == 0))
        {
            return;
        }

        _spill.Write(_specs.Length, writer =>
        {
            for (int f = 0; f < _specs.Length; f++)
            {
                writer.BeginField();
                if (_counts[f] is not { } counts)
                {
                    continue;
                }

                foreach (HashIdTable.Slot entry in counts.SortInPlace())
                {
                    writer.Add(entry.Key, entry.Value, entry.Check == 0 ? default : _tokens.Get(entry.Check), entry.Check != 0);
                }

                // The first spill changes what a token costs (its bytes are kept from then on): the tables start small
                // again and grow to their share of the budget beside those bytes; later spills keep their slots.
                if (_spilled)
                {
                    counts.Clear();
                }
                else
                {
                    _counts[f] = new HashIdTable();
                }
            }
        });
        _tokens.Clear();
        _spilled = true;
        Array.Fill(_keepAt, 1);
    }

    /// <summary>
    /// One builder holding the counts of <paramref name="parts"/> (builders that counted disjoint rows of the same data with
    /// one spill): merged in memory when that fits the budget, else every part is spilled and <see cref="Build"/> merges the runs.
    /// </summary>
    internal static VocabularyBuilder MergeAll(IReadOnlyList<VocabularyBuilder> parts)
    {
        VocabularyBuilder merged = parts[0];
        if (merged._spill is { } spill && (spill.Runs > 0 || MergedBytes(parts) > spill.Budget))
        {
            foreach (VocabularyBuilder part in parts)
            {
                part.Spill();
            }
        }

        foreach (VocabularyBuilder other in parts.Skip(1))
        {
            merged.Merge(other);
        }

        return merged;
    }

    /// <summary>An upper bound on the memory of the parts while the first absorbs the others.</summary>
    private static long MergedBytes(IReadOnlyList<VocabularyBuilder> parts)
    {
        long bytes = 0;
        for (int f = 0; f < parts[0]._counts.Length; f++)
        {
            if (parts[0]._counts[f] is { } first)
            {
                bytes += first.BytesAfter(parts.Skip(1).Sum(part => (long)part._counts[f]!.Count));
            }
        }

        return bytes + parts.Skip(1).Sum(part => part.MemoryBytes(0) + part._tokens.BytesAfter(0)) + parts[0]._tokens.BytesAfter(parts.Skip(1).Sum(part => part._tokens.BytesAfter(0)));
    }

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

            foreach (HashIdTable.Slot entry in other._counts[f]!.Entries())
            {
                ref int sum = ref counts.GetValueRefOrAddDefault(entry.Key, out _, out Span<uint> reference);
                sum = (int)Math.Min(int.MaxValue, (long)sum + entry.Value);
                // Two tokens under one hash (odds ~n²/2⁶⁵) keep the ordinal first, whichever part saw which.
                if (entry.Check != 0
                    && (reference[0] == 0 || other._tokens.Get(entry.Check).SequenceCompareTo(_tokens.Get(reference[0])) < 0))
                {
                    reference[0] = _tokens.Add(other._tokens.Get(entry.Check));
                }
            }
        }

        Rows += other.Rows;
    }

    public FeatureMap Build()
    {
        List<(int Count, byte[] Token)>[]? spilled = null;
        if (_spill is { Runs: > 0 } spill)
        {
            Spill();
            spilled = spill.Merge([.. _specs.Select(spec => spec.MinCount)]);
        }

        var fields = new FeatureField[_specs.Length];
        for (int f = 0; f < _specs.Length; f++)
        {
            fields[f] = new FeatureField(_specs[f], _counts[f] is null ? [] : Ordered(spilled?[f] ?? KeptTokens(f)));
        }

        return new FeatureMap(fields, HashSeed);
    }

    /// <summary>The field's kept tokens that reach its min count, with their counts.</summary>
    private List<(int Count, byte[] Token)> KeptTokens(int field)
    {
        int minCount = _specs[field].MinCount;
        return [.. _counts[field]!.Entries().Where(e => e.Check != 0 && e.Value >= minCount).Select(e => (e.Value, _tokens.Get(e.Check).ToArray()))];
    }

    /// <summary>Tokens in id order: count descending, then token bytes.</summary>
    private static byte[][] Ordered(List<(int Count, byte[] Token)> kept)
    {
        (int Count, byte[] Token)[] entries = [.. kept];
        Array.Sort(entries, static (a, b) =>
        {
            int byCount = b.Count.CompareTo(a.Count);
            return byCount != 0 ? byCount : a.Token.AsSpan().SequenceCompareTo(b.Token);
        });
        return entries.Select(e => e.Token).ToArray();
    }
}
