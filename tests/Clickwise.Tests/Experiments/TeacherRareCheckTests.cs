using Clickwise.Data;
using Clickwise.Data.Synthetic;
using Clickwise.Experiments;
using Clickwise.Features;
using Clickwise.Models;

namespace Clickwise.Tests.Experiments;

public sealed class TeacherRareCheckTests
{
    [Fact]
    public void CountsPrunedRowsAndParametersByTheTeachersViewOfTheirCategory()
    {
        // C1 (1,460 categories, all with their own effect, paired with C2) and C3 (a million categories, unpaired) at the
        // ranks 0 (own effect), 5,000 and 3,000 (rare).
        SyntheticProfile profile = SyntheticProfile.Create("criteo", SyntheticOptions.DefaultCardinalityScale);
        byte[] Token(string field, long rank)
        {
            int f = profile.Fields.ToList().FindIndex(x => x.Name == field);
            var buffer = new Utf8Buffer(64);
            buffer.Reserve(32);
            new CategoryText(profile.Fields[f], f).Write(buffer, rank);
            return buffer.Written.ToArray();
        }

        var map = new FeatureMap(
        [
            new FeatureField(new FeatureSpec("C1", FieldKind.Categorical), [Token("C1", 0)]),
            new FeatureField(new FeatureSpec("C3", FieldKind.Categorical), [Token("C3", 0), Token("C3", 5000), Token("C3", 3000)]),
        ], 0);

        // Rows: C1 = OOV, missing, rank 0; C3 = OOV, missing, rank 0, 5,000, 3,000. Pruned: C1's missing, C3's OOV and both rare rows.
        float[] kept = [1, 0, 1, 0, 1, 1, 0, 0];
        const int Dim = 16;
        var mask = new RowMask(map.Layout, Dim, new float[map.Layout.TotalRows * Dim], null, RowThreshold.None, PrunedRows.Zero, [16, 8], kept);

        TeacherRareCheck check = TeacherRareCheck.Of(mask, map, TeacherCategories.For("criteo"));

        Assert.Equal(new TeacherRowCounts(Rare: 2, OwnEffectPaired: 1, OwnEffectUnpaired: 1, Missing: 2, Oov: 2), check.Vocabulary);
        Assert.Equal(new TeacherRowCounts(Rare: 2, OwnEffectPaired: 0, OwnEffectUnpaired: 0, Missing: 1, Oov: 1), check.PrunedRows);
        Assert.Equal(2.0 / 3, check.PrunedRows.RareShare!.Value, 12);

        // A pruned row loses D = 16; C3's kept rows (missing, rank 0) lose 16 − 8 each.
        Assert.Equal(new TeacherRowCounts(Rare: 32, OwnEffectPaired: 0, OwnEffectUnpaired: 8, Missing: 16 + 8, Oov: 16), check.PrunedParameters);
        Assert.Equal(32.0 / (32 + 8 + 24), check.PrunedParameters.RareShare!.Value, 12);

        // Pruning by training count at the same per-field numbers: C3 pruned two categories, its two least frequent (the last
        // in vocabulary order) are both rare; C1 pruned no category.
        Assert.Equal(new TeacherRowCounts(Rare: 2, OwnEffectPaired: 0, OwnEffectUnpaired: 0, Missing: 0, Oov: 0), check.LeastFrequent);

        // Without the per-field numbers: the two least looked-up categories of any field. C1's rank 0 is seen once, so it is one
        // of them; then a tie at 3 lookups between C3's rare ranks. Tied with C1's row instead, the rare rows go first.
        Assert.Null(check.LeastFrequentAnyField);
        long[] lookups = [900, 9, 1, 40, 12, 50, 3, 3];
        Assert.Equal(new TeacherRowCounts(Rare: 1, OwnEffectPaired: 1, OwnEffectUnpaired: 0, Missing: 0, Oov: 0),
            TeacherRareCheck.Of(mask, map, TeacherCategories.For("criteo"), lookups).LeastFrequentAnyField);
        lookups[2] = 3;
        Assert.Equal(new TeacherRowCounts(Rare: 2, OwnEffectPaired: 0, OwnEffectUnpaired: 0, Missing: 0, Oov: 0),
            TeacherRareCheck.Of(mask, map, TeacherCategories.For("criteo"), lookups).LeastFrequentAnyField);

        // C3 prunes its most frequent category (rank 0, own effect): the least frequent one is the rare rank 3,000.
        var frequentPruned = new RowMask(map.Layout, Dim, new float[map.Layout.TotalRows * Dim], null, RowThreshold.None, PrunedRows.Zero, [],
            [1, 1, 1, 1, 1, 0, 1, 1]);
        TeacherRareCheck frequent = TeacherRareCheck.Of(frequentPruned, map, TeacherCategories.For("criteo"));
        Assert.Equal(0.0, frequent.PrunedRows.RareShare!.Value);
        Assert.Equal(new TeacherRowCounts(Rare: 1, OwnEffectPaired: 0, OwnEffectUnpaired: 0, Missing: 0, Oov: 0), frequent.LeastFrequent);

        // Nothing pruned (a small alpha): no share, which the study's JSON writes as null.
        var keepAll = new RowMask(map.Layout, Dim, new float[map.Layout.TotalRows * Dim], null, RowThreshold.None, PrunedRows.Zero, [], [.. kept.Select(_ => 1f)]);
        Assert.Null(TeacherRareCheck.Of(keepAll, map, TeacherCategories.For("criteo")).PrunedRows.RareShare);
    }
}
