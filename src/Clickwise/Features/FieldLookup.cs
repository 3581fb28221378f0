using System.Runtime.CompilerServices;

namespace Clickwise.Features;

/// <summary>
/// Token → local id for one field. Kept tokens are indexed by their 128-bit <see cref="TokenHash"/>: h1 picks the
/// table entry and 32 bits of h2 must match too, so a token matches a kept one only if 96 hash bits agree. A hashed
/// field's id is MurmurHash3_x64_128's h1 modulo its buckets, as models trained on it expect.
/// </summary>
/// <remarks>
/// Why hash bits and not a byte comparison: comparing bytes costs a second cache miss per field (token arrays live
/// apart from the table), which on a 1.3M-token Criteo vocabulary is a third of encoding time. With 96 bits, the
/// chance that any unseen token in a full 45M-row Criteo pass (1.2·10⁹ lookups against 1.3·10⁶ kept tokens) is
/// taken for a kept one is about 1.2·10⁹ × 1.3·10⁶ / 2⁹⁶ ≈ 2·10⁻¹⁴ — far below any bit-flip rate of the hardware.
/// </remarks>
internal sealed class FieldLookup
{
    private readonly HashIdTable _idByHash;
    private readonly uint _seed;

    public FieldLookup(FeatureField field, uint seed)
    {
        _seed = seed;
        Buckets = field.Spec.HashBuckets;
        UsesNumber = field.Spec.Buckets;
        _idByHash = new HashIdTable(field.Tokens.Count);
        for (int i = 0; i < field.Tokens.Count; i++)
        {
            (ulong h1, ulong h2) = TokenHash.Hash128(field.Tokens[i], seed);

            // Two kept tokens with one h1 (odds ~n²/2⁶⁵) keep the first; the second then encodes as OOV.
            _idByHash.TryAdd(h1, FeatureMap.FirstCategoryId + i, (uint)h2);
        }
    }

    public int Buckets { get; }

    public bool UsesNumber { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LocalId(ReadOnlySpan<byte> token)
    {
        (ulong h1, ulong h2) = Hash(token);
        return LocalId(h1, h2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (ulong H1, ulong H2) Hash(ReadOnlySpan<byte> token) =>
        Buckets > 0 ? MurmurHash3.Hash128(token, _seed) : TokenHash.Hash128(token, _seed);

    /// <summary>Asks for the table slot of a hashed token ahead of its <see cref="LocalId(ulong, ulong)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(ulong h1)
    {
        if (Buckets == 0)
        {
            _idByHash.Prefetch(h1);
        }
    }

    /// <summary>The local id of the token hashed to (<paramref name="h1"/>, <paramref name="h2"/>) by <see cref="Hash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LocalId(ulong h1, ulong h2)
    {
        if (Buckets > 0)
        {
            return FeatureMap.FirstCategoryId + (int)(h1 % (ulong)Buckets);
        }

        return _idByHash.TryGetValue(h1, out int id, out uint check) && check == (uint)h2 ? id : FeatureMap.OovId;
    }
}
