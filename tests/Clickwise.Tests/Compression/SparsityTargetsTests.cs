using Clickwise.Compression.Pruning;
using FsCheck;
using FsCheck.Fluent;

namespace Clickwise.Tests.Compression;

public sealed class SparsityTargetsTests
{
    [Fact]
    public void FlagFormAndPaperNotationMeanTheSame()
    {
        SparsityTargets flags = SparsityTargets.Parse("dnn=0.99,r=0.95,emb=0.40");
        SparsityTargets paper = SparsityTargets.Parse("D-99% & R-95% & F-40%");
        foreach (PruningComponent c in Enum.GetValues<PruningComponent>())
        {
            Assert.Equal(flags[c], paper[c], 12);
        }

        Assert.Equal(0.99, flags[PruningComponent.Dnn], 12);
        Assert.Equal(0.95, flags[PruningComponent.FieldMatrix], 12);
        Assert.Equal(0.40, flags[PruningComponent.Embedding], 12);
        Assert.Equal(0, flags[PruningComponent.Cin]);
        Assert.False(flags.Prunes(PruningComponent.Cin));
        Assert.Equal("D-99% & R-95% & F-40%", flags.ToPaperNotation());
    }

    [Fact]
    public void PercentValuesAndOrderFreeFlags()
    {
        SparsityTargets t = SparsityTargets.Parse(" emb=90% , cin=0.5,d=0.905 ");
        Assert.Equal("D-90.5% & F-90% & C-50%", t.ToPaperNotation());
        Assert.Equal([PruningComponent.Dnn, PruningComponent.Embedding, PruningComponent.Cin], t.Components);
    }

    [Fact]
    public void PaperNotationRoundTripsEveryTargetInBasisPoints()
    {
        // Targets in basis points (0.01% steps, 0 = not pruned) print and parse back to the same fractions.
        Gen<int[]> gen = Gen.ArrayOf(Gen.Choose(0, 9999), 4);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(gen.ToArbitrary(), bp =>
        {
            var map = Enum.GetValues<PruningComponent>().Where((_, i) => bp[i] > 0).ToDictionary(c => c, c => bp[(int)c] / 10_000.0);
            var targets = new SparsityTargets(map);
            string text = targets.ToPaperNotation();
            if (map.Count == 0)
            {
                return text == "None";
            }

            SparsityTargets parsed = SparsityTargets.Parse(text);
            return Enum.GetValues<PruningComponent>().All(c => Math.Abs(parsed[c] - targets[c]) < 1e-12);
        }));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("dnn=1.0", "below 100%")]
    [InlineData("dnn=0.9,dnn=0.8", "given twice")]
    [InlineData("x=0.5", "unknown pruning component 'x'")]
    [InlineData("D-99", "needs a percentage")]
    [InlineData("dnn=abc", "no valid non-negative number")]
    [InlineData("dnn=-0.1", "no valid non-negative number")]
    [InlineData("dnn", "not of the form name=value")]
    public void MalformedTargetsAreNamed(string text, string message)
    {
        FormatException e = Assert.Throws<FormatException>(() => SparsityTargets.Parse(text));
        Assert.Contains(message, e.Message);
    }
}
