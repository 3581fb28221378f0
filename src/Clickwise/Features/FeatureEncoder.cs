using System.Runtime.CompilerServices;
using Clickwise.Data;

namespace Clickwise.Features;

/// <summary>
/// Maps a <see cref="RawRecord"/> to global ids [F] and values [F] with a fitted <see cref="FeatureMap"/>:
/// unseen or rare tokens → the field's OOV id, missing → its missing id. A multi-hot field's first feature goes to
/// ids and values like any, the others to <see cref="ExtraFeatures"/>; mean pooling divides all its values by its
/// feature count. Allocation-free per row; one instance per thread (it owns a scratch buffer).
/// </summary>
public sealed class FeatureEncoder
{
    private readonly FieldLookup[] _lookups;
    private readonly int[] _offsets;
    private readonly BucketTokens _buckets = new();
    private readonly (ulong H1, ulong H2)[] _hashes;
    private readonly bool _mean;

    internal FeatureEncoder(FeatureMap map, FieldLookup[] lookups)
    {
        Map = map;
        _lookups = lookups;
        _hashes = new (ulong, ulong)[lookups.Length];
        _offsets = map.Layout.Offsets;
        _mean = map.Pooling == Pooling.Mean;
    }

    public FeatureMap Map { get; }

    public int FieldCount => _lookups.Length;

    /// <summary>Writes global ids and values of a one-hot <paramref name="record"/>; returns true when any value is not 1.</summary>
    public bool Encode(RawRecord record, Span<int> ids, Span<float> values) => Encode(record, ids, values, null);

    /// <summary>
    /// Writes global ids and values of <paramref name="record"/> and closes its F lookups in <paramref name="extras"/>
    /// with the extra features of its multi-hot fields (null: the record must have none); returns true when any value is not 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Encode(RawRecord record, Span<int> ids, Span<float> values, ExtraFeatures? extras)
    {
        int fieldCount = _lookups.Length;
        if (record.FieldCount != fieldCount || ids.Length < fieldCount || values.Length < fieldCount)
        {
            throw new ArgumentException($"the record has {record.FieldCount} fields, the map {fieldCount}; ids/values need {fieldCount} slots");
        }

        // Every field's token is hashed and its slot asked for first, then looked up: the lookups miss cache (the tables are
        // tens of MB), and asked for together their misses overlap instead of following one another.
        Span<(ulong H1, ulong H2)> hashes = _hashes;
        for (int f = 0; f < fieldCount; f++)
        {
            FieldLookup lookup = _lookups[f];
            if (FieldToken.TryGet(record, f, lookup.UsesNumber ? _buckets : null, out ReadOnlySpan<byte> token))
            {
                hashes[f] = lookup.Hash(token);
                lookup.Prefetch(hashes[f].H1);
                ids[f] = 0;
            }
            else
            {
                ids[f] = -1;
            }
        }

        bool weighted = false;
        for (int f = 0; f < fieldCount; f++)
        {
            int local = ids[f] < 0 ? FeatureMap.MissingId : _lookups[f].LocalId(hashes[f].H1, hashes[f].H2);
            ids[f] = _offsets[f] + local;
            float value = record.Value(f);
            values[f] = value;
            weighted |= value != 1f;
        }

        if (record.HasExtras)
        {
            weighted |= EncodeExtras(record, values,
                extras ?? throw new ArgumentException("the record has multi-hot fields; pass a sink for their extra features"));
        }
        else
        {
            extras?.EndLookups(fieldCount);
        }

        return weighted;
    }

    /// <summary>The extra features of every field, field by field; mean pooling rescales the field's first value too.</summary>
    private bool EncodeExtras(RawRecord record, Span<float> values, ExtraFeatures extras)
    {
        bool weighted = false;
        for (int f = 0; f < _lookups.Length; f++)
        {
            int count = _mean ? record.FeatureCount(f) : 1;
            if (count > 1)
            {
                values[f] /= count;
                weighted = true;
            }

            for (int extra = record.FirstExtra(f); extra >= 0; extra = record.NextExtra(extra))
            {
                float value = count > 1 ? record.ExtraValue(extra) / count : record.ExtraValue(extra);
                extras.Add(_offsets[f] + _lookups[f].LocalId(record.ExtraToken(extra)), value);
                weighted |= value != 1f;
            }

            extras.EndLookup();
        }

        return weighted;
    }
}
