using System.Text;
using Clickwise.Data.Synthetic;

namespace Clickwise.Tests.Synthetic;

public sealed class TeacherCategoriesTests
{
    [Theory]
    [InlineData("criteo")]
    [InlineData("avazu")]
    public void EveryTokenOfASmallFileIsClassifiedAsTheTeacherSeesItsValue(string name)
    {
        // The generator's own parts draw and write 20,000 rows; each written token is checked against the teacher's id of its value.
        SyntheticProfile profile = SyntheticProfile.Create(name, SyntheticOptions.DefaultCardinalityScale);
        var sampler = new RowSampler(profile, zipfExponent: 1.1);
        var teacher = new Teacher(profile, seed: 7);
        var writer = new RowTextWriter(profile);
        TeacherCategories categories = TeacherCategories.For(name);
        var rng = Xoshiro256.ForStream(7, 0);
        var row = new SyntheticRow(profile.Fields.Count, profile.MissingGroups);
        var text = new Utf8Buffer(1 << 12);
        var seen = new Dictionary<TeacherCategory, int>();
        int firstField = profile.Layout.LeadingRowId ? 2 : 1;
        const int Rows = 20_000;
        for (int i = 0; i < Rows; i++)
        {
            sampler.Sample(ref rng, i, Rows, row);
            text.Clear();
            writer.WriteRow(text, row, positive: false);
            string[] columns = Encoding.UTF8.GetString(text.Written).TrimEnd('\n').Split((char)profile.Layout.Separator);
            for (int f = 0; f < profile.Fields.Count; f++)
            {
                SyntheticField field = profile.Fields[f];
                int id = teacher.IdOf(f, row.Values[f]);
                TeacherCategory expected = row.Values[f] == SyntheticRow.Missing ? TeacherCategory.Missing
                    : field.Kind == SyntheticFieldKind.Categorical && id == Teacher.CapOf(field) ? TeacherCategory.Rare
                    : TeacherCategory.OwnEffect;
                Assert.Equal(expected, categories.Classify(field.Name, Encoding.UTF8.GetBytes(columns[firstField + f])));
                seen[expected] = seen.GetValueOrDefault(expected) + 1;
            }
        }

        // The file holds all three kinds, rare ones by the thousand (Zipf tails of the large fields).
        Assert.True(seen.GetValueOrDefault(TeacherCategory.Rare) > 1000, $"rare tokens: {seen.GetValueOrDefault(TeacherCategory.Rare)}");
        Assert.True(seen.GetValueOrDefault(TeacherCategory.OwnEffect) > 1000);
        Assert.Equal(name == "criteo", seen.ContainsKey(TeacherCategory.Missing));
    }

    [Fact]
    public void PairsAndUnknownFieldsAreTheProfiles()
    {
        TeacherCategories criteo = TeacherCategories.For("criteo");
        Assert.True(criteo.InPair("C1"));
        Assert.True(criteo.InPair("I13"));
        Assert.False(criteo.InPair("C3"));
        Assert.False(criteo.HasField("hour"));
        Assert.Throws<ArgumentException>(() => criteo.Classify("C40", "abc"u8));
    }
}
