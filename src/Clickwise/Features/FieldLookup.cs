namespace Clickwise.Features;

/// <summary>
/// Token → local id for one field: a hash → id table plus the kept token bytes, compared on every hit so a token
/// whose 64-bit hash collides with a kept one still maps to OOV (the lookup is exact, not probabilistic).
/// </summary>
internal sealed class FieldLookup
{
    private readonly Dictionary<ulong, int> _idByHash;
    private readonly IReadOnlyList<byte[]> _tokens;
    private readonly uint _seed;

    public FieldLookup(FeatureField field, uint seed)
    {
        _seed = seed;
        _tokens = field.Tokens;
        Buckets = field.Spec.HashBuckets;
        UsesNumber = field.Spec.Buckets;
        _idByHash = new Dictionary<ulong, int>(field.Tokens.Count);
        for (int i = 0; i < field.Tokens.Count; i++)
        {
            ulong hash = MurmurHash3.Hash64(field.Tokens[i], seed);

            // Two kept tokens with one 64-bit hash (odds ~n²/2⁶⁵) keep the first; the second then encodes as OOV.
            _idByHash.TryAdd(hash, FeatureMap.FirstCategoryId + i);
        }
    }

    public int Buckets { get; }

    public bool UsesNumber { get; }

    public int LocalId(ReadOnlySpan<byte> token)
    {
        ulong hash = MurmurHash3.Hash64(token, _seed);
        if (Buckets > 0)
        {
            return FeatureMap.FirstCategoryId + (int)(hash % (ulong)Buckets);
        }

        if (_idByHash.TryGetValue(hash, out int id) && token.SequenceEqual(_tokens[id - FeatureMap.FirstCategoryId]))
        {
            return id;
        }

        return FeatureMap.OovId;
    }
}
