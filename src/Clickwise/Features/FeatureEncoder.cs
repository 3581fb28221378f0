using System.Runtime.CompilerServices;
using Clickwise.Data;

namespace Clickwise.Features;

/// <summary>
/// Maps a <see cref="RawRecord"/> to global ids [F] and values [F] with a fitted <see cref="FeatureMap"/>:
/// unseen or rare tokens → the field's OOV id, missing → its missing id. Allocation-free per row; one instance per
/// thread (it owns a scratch buffer).
/// </summary>
public sealed class FeatureEncoder
{
    private readonly FieldLookup[] _lookups;
    private readonly int[] _offsets;
    private readonly byte[] _scratch = new byte[FieldToken.ScratchBytes];

    internal FeatureEncoder(FeatureMap map, FieldLookup[] lookups)
    {
        Map = map;
        _lookups = lookups;
        _offsets = map.Layout.Offsets;
    }

    public FeatureMap Map { get; }

    public int FieldCount => _lookups.Length;

    /// <summary>Writes global ids and values of <paramref name="record"/>; returns true when any value is not 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Encode(RawRecord record, Span<int> ids, Span<float> values)
    {
        int fieldCount = _lookups.Length;
        if (record.FieldCount != fieldCount || ids.Length < fieldCount || values.Length < fieldCount)
        {
            throw new ArgumentException($"the record has {record.FieldCount} fields, the map {fieldCount}; ids/values need {fieldCount} slots");
        }

        bool weighted = false;
        for (int f = 0; f < fieldCount; f++)
        {
            FieldLookup lookup = _lookups[f];
            int local = FieldToken.TryGet(record, f, lookup.UsesNumber, _scratch, out ReadOnlySpan<byte> token)
                ? lookup.LocalId(token)
                : FeatureMap.MissingId;
            ids[f] = _offsets[f] + local;
            float value = record.Value(f);
            values[f] = value;
            weighted |= value != 1f;
        }

        return weighted;
    }
}
