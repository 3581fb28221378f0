using Clickwise.Experiments.Figures;

namespace Clickwise.Tests.Experiments.Figures;

public sealed class ParetoFrontTests
{
    [Fact]
    public void KeepsTheModelsNoneBeatsOnBothCounts()
    {
        LabeledPoint[] points =
        [
            new("dense", 20, 0.80),
            new("pruned", 2, 0.79),
            new("slow and worse", 25, 0.78),
            new("as fast, worse", 2, 0.75),
            new("tiny", 0.7, 0.60),
            new("broken", double.NaN, 0.99),
            new("middle", 10, 0.795),
            new("dominated middle", 12, 0.79),
        ];
        Assert.Equal(["tiny", "pruned", "middle", "dense"], ParetoFront.Of(points).Select(p => p.Label));
    }

    [Fact]
    public void EqualQualityAtHigherCostIsNotOnTheFront() =>
        Assert.Equal(["a"], ParetoFront.Of([new("b", 2, 0.7), new("a", 1, 0.7)]).Select(p => p.Label));
}
