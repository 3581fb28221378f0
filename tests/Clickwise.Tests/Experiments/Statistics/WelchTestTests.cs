using Clickwise.Experiments.Statistics;

namespace Clickwise.Tests.Experiments.Statistics;

public sealed class WelchTestTests
{
    // Reference values from SciPy 1.10.1 (Debian bookworm's python3-scipy), computed by hand:
    //   from scipy import stats; r = stats.ttest_ind(a, b, equal_var=False)  -> r.statistic, r.pvalue
    // and the Welch–Satterthwaite df from numpy.var(ddof=1) as (va+vb)²/(va²/(na−1)+vb²/(nb−1)), va = s²a/na.
    public static TheoryData<double[], double[], double, double, double> SciPy => new()
    {
        { [0.8012, 0.8020, 0.8009], [0.7991, 0.7995, 0.7990], 5.983735016338787, 2.827208121827127, 0.0110374569392185 },
        { [1.0, 2.0, 3.0, 4.0], [2.5, 3.5, 4.5], -1.1547005383792517, 4.959183673469387, 0.300802707255176 },
        { [10.0, 10.5, 9.5, 10.2, 9.8], [10.1, 10.4, 9.9, 10.0, 10.3], -0.7219948723811584, 6.180641776689694, 0.49669391627431114 },
        { [0.80, 0.81], [0.78, 0.79, 0.785, 0.775, 0.79], 3.6282473874417125, 1.7451647390416944, 0.08335200676891716 },
        { [0.45, 0.4502, 0.4498], [0.4521, 0.4519, 0.4524], -11.494739329713349, 3.8059405940594395, 0.00042899583734471954 },
    };

    [Theory]
    [MemberData(nameof(SciPy))]
    public void MatchesSciPy(double[] a, double[] b, double t, double df, double p)
    {
        (double gotT, double gotDf) = WelchTest.Statistic(SeedSummary.Of(a), SeedSummary.Of(b));
        double gotP = WelchTest.PValue(SeedSummary.Of(a), SeedSummary.Of(b));
        Assert.Equal(t, gotT, 1e-9);
        Assert.Equal(df, gotDf, 1e-9);
        Assert.Equal(p, gotP, 1e-9);
        // The test is symmetric: swapping the sides flips t, not p.
        Assert.Equal(p, WelchTest.PValue(SeedSummary.Of(b), SeedSummary.Of(a)), 1e-12);
    }

    [Fact]
    public void SummariesAloneGiveTheSameTestAsTheValues()
    {
        // A resumed comparison keeps only mean, std and count: the p-value must not need the seeds' values.
        SeedSummary a = SeedSummary.Of([0.8012, 0.8020, 0.8009]);
        Assert.Equal(0.0110374569392185, WelchTest.PValue(new SeedSummary(a.Count, a.Mean, a.Std), SeedSummary.Of([0.7991, 0.7995, 0.7990])), 1e-9);
    }

    [Fact]
    public void UndefinedWithoutTwoSeedsOrSpread()
    {
        Assert.True(double.IsNaN(WelchTest.PValue(SeedSummary.Of([0.8]), SeedSummary.Of([0.7, 0.71]))));
        Assert.True(double.IsNaN(WelchTest.PValue(SeedSummary.Of([0.8, 0.8]), SeedSummary.Of([0.7, 0.7]))));
        Assert.Equal("—", WelchTest.Format(double.NaN));
    }

    [Fact]
    public void FormatMarksSignificance()
    {
        Assert.Equal("0.011 *", WelchTest.Format(0.0110374569392185));
        Assert.Equal("0.301", WelchTest.Format(0.300802707255176));
        Assert.Equal("<0.001 *", WelchTest.Format(0.00042899583734471954));
        Assert.Equal("0.050", WelchTest.Format(0.05));
    }

    [Fact]
    public void StandardDeviationIsTheSampleOne()
    {
        Assert.Equal(0, SeedSummary.Of([0.7]).Std);
        // Values 1, 2, 3, 4: mean 2.5, squared deviations 5 in all, over n − 1 = 3.
        Assert.Equal(Math.Sqrt(5.0 / 3), SeedSummary.Of([1, 2, 3, 4]).Std, 12);
        Assert.Equal("2.50000 ± 1.29099", SeedSummary.Of([1, 2, 3, 4]).ToString());
        Assert.Equal("0.70000", SeedSummary.Of([0.7]).ToString()); // one seed has no spread to show
    }
}
