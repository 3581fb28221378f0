namespace Clickwise.Experiments;

/// <summary>
/// Embedding rows (or parameters) of a model trained on synthetic data, by how the teacher sees them: rare categories (no own
/// effect, no interaction), categories with their own effect in fields the teacher pairs and in fields it does not, the
/// missing value's rows, and the OOV rows (the categories under the min-count, most of them rare, all in one row).
/// </summary>
public sealed record TeacherRowCounts(long Rare, long OwnEffectPaired, long OwnEffectUnpaired, long Missing, long Oov)
{
    public long Total => Rare + OwnEffectPaired + OwnEffectUnpaired + Missing + Oov;

    /// <summary>Rare's share of the rows that stand for one category each (OOV rows left out: they are no single category); null when there are none.</summary>
    public double? RareShare => Total - Oov == 0 ? null : Rare / (double)(Total - Oov);
}
