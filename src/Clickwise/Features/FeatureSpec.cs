using Clickwise.Data;

namespace Clickwise.Features;

/// <summary>
/// How one input field becomes ids (conventions §11). Per field, id 0 is OOV (rare or unseen), id 1 is missing,
/// and ids 2.. are categories. With <see cref="HashBuckets"/> = 0 the categories are a fitted vocabulary of tokens
/// seen at least <see cref="MinCount"/> times; with buckets &gt; 0 they are <c>2 + hash(token) mod buckets</c> and
/// <see cref="MinCount"/> is not used. Numeric fields first go through <see cref="Transform"/>.
/// </summary>
public sealed record FeatureSpec(
    string Name,
    FieldKind Kind,
    int MinCount = 1,
    int HashBuckets = 0,
    NumericTransform Transform = NumericTransform.LogSquare)
{
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name))
        {
            throw new ArgumentException("a feature spec needs a name");
        }

        if (MinCount < 1)
        {
            throw new ArgumentException($"field '{Name}': min count must be at least 1, got {MinCount}");
        }

        if (HashBuckets < 0 || HashBuckets > int.MaxValue - FeatureMap.FirstCategoryId)
        {
            throw new ArgumentException($"field '{Name}': hash buckets must be 0 (vocabulary) or positive, got {HashBuckets}");
        }

        if (!Enum.IsDefined(Kind) || !Enum.IsDefined(Transform))
        {
            throw new ArgumentException($"field '{Name}': unknown kind or numeric transform");
        }
    }

    /// <summary>True when the numeric value, not the raw text, is the token source.</summary>
    internal bool Buckets => Kind == FieldKind.Numeric && Transform == NumericTransform.LogSquare;
}
