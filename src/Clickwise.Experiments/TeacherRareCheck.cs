using Clickwise.Data.Synthetic;
using Clickwise.Features;
using Clickwise.Models;

namespace Clickwise.Experiments;

/// <summary>
/// Issue 13's known-answer check on synthetic data: of the embedding rows OptEmbed prunes, how many belong to categories the
/// teacher gives no own effect. <see cref="PrunedParameters"/> also counts the dimensions a kept row loses to its field's
/// searched width; <see cref="Vocabulary"/> is the base rate, what pruning rows at random would score. <see cref="LeastFrequent"/>
/// is what pruning by training count would score at the model's per-field row counts: in each field, as many category rows
/// as the model pruned there, the least frequent ones (a field's vocabulary orders its categories by count).
/// <see cref="LeastFrequentAnyField"/> lifts the per-field numbers: as many category rows as the model pruned in all, those
/// with the fewest training lookups in any field, ties broken toward rare rows — the most that pruning by count can score.
/// </summary>
public sealed record TeacherRareCheck(TeacherRowCounts Vocabulary, TeacherRowCounts PrunedRows, TeacherRowCounts PrunedParameters,
                                      TeacherRowCounts LeastFrequent, TeacherRowCounts? LeastFrequentAnyField = null)
{
    /// <summary>Classifies every row of <paramref name="mask"/>'s table through its vocabulary <paramref name="map"/>.</summary>
    /// <param name="lookups">Each table row's training lookups (<see cref="PrunedRowCounts.Lookups"/>); null: no <see cref="LeastFrequentAnyField"/>.</param>
    public static TeacherRareCheck Of(RowMask mask, FeatureMap map, TeacherCategories teacher, long[]? lookups = null)
    {
        var all = new Tally();
        var pruned = new Tally();
        var parameters = new Tally();
        var leastFrequent = new Tally();
        var categories = new List<(long Lookups, int Kind)>();
        int prunedInAll = 0;
        for (int f = 0; f < map.FieldCount; f++)
        {
            FeatureField field = map.Fields[f];
            if (field.IsHashed)
            {
                throw new ArgumentException($"field '{field.Name}' is hashed: its rows are no single categories, so the teacher cannot classify them");
            }

            bool paired = teacher.InPair(field.Name);
            int[] kinds = new int[field.Size];
            int prunedCategories = 0;
            for (int local = 0; local < field.Size; local++)
            {
                int kind = kinds[local] = local switch
                {
                    FeatureMap.OovId => Tally.Oov,
                    FeatureMap.MissingId => Tally.Missing,
                    _ => teacher.Classify(field.Name, field.Tokens[local - FeatureMap.FirstCategoryId]) switch
                    {
                        TeacherCategory.Rare => Tally.Rare,
                        TeacherCategory.Missing => Tally.Missing,
                        _ => paired ? Tally.OwnEffectPaired : Tally.OwnEffectUnpaired,
                    },
                };
                bool kept = mask.Keeps(field.Offset + local, f);
                all.Add(kind, 1);
                pruned.Add(kind, kept ? 0 : 1);
                parameters.Add(kind, mask.Dim - (kept ? mask.FieldDims[f] : 0));
                prunedCategories += !kept && local >= FeatureMap.FirstCategoryId ? 1 : 0;
                if (lookups is not null && local >= FeatureMap.FirstCategoryId)
                {
                    categories.Add((lookups[field.Offset + local], kind));
                }
            }

            prunedInAll += prunedCategories;

            for (int local = field.Size - prunedCategories; local < field.Size; local++)
            {
                leastFrequent.Add(kinds[local], 1);
            }
        }

        TeacherRowCounts? anyField = null;
        if (lookups is not null)
        {
            var tally = new Tally();
            foreach ((long _, int kind) in categories.OrderBy(c => c.Lookups).ThenBy(c => c.Kind == Tally.Rare ? 0 : 1).Take(prunedInAll))
            {
                tally.Add(kind, 1);
            }

            anyField = tally.Counts();
        }

        return new TeacherRareCheck(all.Counts(), pruned.Counts(), parameters.Counts(), leastFrequent.Counts(), anyField);
    }

    private sealed class Tally
    {
        public const int Rare = 0, OwnEffectPaired = 1, OwnEffectUnpaired = 2, Missing = 3, Oov = 4;
        private readonly long[] _counts = new long[5];

        public void Add(int kind, long count) => _counts[kind] += count;

        public TeacherRowCounts Counts() => new(_counts[Rare], _counts[OwnEffectPaired], _counts[OwnEffectUnpaired], _counts[Missing], _counts[Oov]);
    }
}
