namespace Clickwise.Data.Synthetic;

/// <summary>How the synthetic <see cref="Teacher"/> sees one value of a field.</summary>
public enum TeacherCategory
{
    /// <summary>A frequent category, a count bucket or an hour: it has its own first-order effect (and its own vector when its field is in a pair).</summary>
    OwnEffect,

    /// <summary>A category of rank ≥ <see cref="Teacher.EffectCap"/>: it shares the field's one rare effect and has no interaction.</summary>
    Rare,

    /// <summary>The missing value: its own first-order effect, no interaction.</summary>
    Missing,
}
