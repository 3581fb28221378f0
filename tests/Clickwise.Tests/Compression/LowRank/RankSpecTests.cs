using Clickwise.Compression.LowRank;

namespace Clickwise.Tests.Compression.LowRank;

public sealed class RankSpecTests
{
    [Fact]
    public void FixedRanksApplyPerLayerAndNeverExceedTheWidth()
    {
        RankSpec spec = RankSpec.Parse("0, 64,64");
        double[] lambdas = new double[400];
        Assert.Equal(0, spec.RankFor(0, 3, lambdas));
        Assert.Equal(64, spec.RankFor(2, 3, lambdas));
        Assert.Equal(10, RankSpec.Parse("64").RankFor(1, 3, new double[10]));
        Assert.Equal("0,64,64", spec.ToString());
        Assert.Throws<FormatException>(() => spec.RankFor(0, 2, lambdas));
    }

    [Fact]
    public void EnergyCountsSingularValuesNotEigenvalues()
    {
        // √λ = 4, 3, 2, 1 (sum 10): 90% needs 4+3+2 = 9, so k = 3; by eigenvalues (16+9 = 25 of 30) k would be 2.
        double[] lambdas = [16, 9, 4, 1];
        Assert.Equal(3, RankSpec.Parse("energy:0.9").RankFor(0, 1, lambdas));
        Assert.Equal(1, RankSpec.EnergyRank(lambdas, 0.4));
        Assert.Equal(2, RankSpec.EnergyRank(lambdas, 0.7));
        Assert.Equal(4, RankSpec.EnergyRank(lambdas, 1.0));
    }

    [Theory]
    [InlineData("energy:0")]
    [InlineData("energy:1.5")]
    [InlineData("energy:x")]
    [InlineData("64,a")]
    [InlineData("-3")]
    public void BadSpecsAreRejectedWithTheAllowedForms(string text)
    {
        FormatException error = Assert.Throws<FormatException>(() => RankSpec.Parse(text));
        Assert.Contains(text.Trim(), error.Message);
    }
}
