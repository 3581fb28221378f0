namespace Clickwise.Features;

/// <summary>
/// One fitted field of a <see cref="FeatureMap"/>: its spec, its id range in the global layout and, for a vocabulary
/// field, the kept tokens in id order (token i has local id <see cref="FeatureMap.FirstCategoryId"/> + i).
/// </summary>
public sealed class FeatureField
{
    internal FeatureField(FeatureSpec spec, IReadOnlyList<byte[]> tokens)
    {
        spec.Validate();
        if (spec.HashBuckets > 0 && tokens.Count > 0)
        {
            throw new ArgumentException($"field '{spec.Name}' is hashed and cannot also carry a vocabulary");
        }

        Spec = spec;
        Tokens = tokens;
        Size = checked(FeatureMap.FirstCategoryId + (spec.HashBuckets > 0 ? spec.HashBuckets : tokens.Count));
    }

    public FeatureSpec Spec { get; }

    public string Name => Spec.Name;

    public bool IsHashed => Spec.HashBuckets > 0;

    /// <summary>Local ids: OOV, missing and the categories.</summary>
    public int Size { get; }

    /// <summary>Kept tokens in id order (empty for a hashed field).</summary>
    public IReadOnlyList<byte[]> Tokens { get; }

    /// <summary>Set when the field joins a map: the first global row of the field.</summary>
    public int Offset { get; internal set; }
}
