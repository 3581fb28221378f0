using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Clickwise.Experiments.Statistics;

/// <summary>
/// Welch's two-sample t-test (unequal variances) from summaries alone, so a table saved as means and standard
/// deviations (a resumed comparison) is tested as well as one with every seed's value. Two-sided; the p-value is
/// undefined (NaN) with fewer than two seeds on either side or with no spread at all.
/// </summary>
public static class WelchTest
{
    /// <summary>The level below which a table marks a difference as significant, as the seed papers do.</summary>
    public const double Level = 0.05;

    /// <summary>t = (mean a − mean b) / √(s²a/na + s²b/nb) and the Welch–Satterthwaite degrees of freedom.</summary>
    public static (double T, double DegreesOfFreedom) Statistic(SeedSummary a, SeedSummary b)
    {
        if (a.Count < 2 || b.Count < 2)
        {
            return (double.NaN, double.NaN);
        }

        double va = a.Std * a.Std / a.Count, vb = b.Std * b.Std / b.Count;
        double se = Math.Sqrt(va + vb);
        if (se == 0)
        {
            return (double.NaN, double.NaN);
        }

        double df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        return ((a.Mean - b.Mean) / se, df);
    }

    /// <summary>Two-sided p-value: the chance of a |t| at least this large were the two means equal.</summary>
    public static double PValue(SeedSummary a, SeedSummary b)
    {
        (double t, double df) = Statistic(a, b);
        return double.IsNaN(t) ? double.NaN : 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
    }

    /// <summary>A p-value in a Markdown cell: three decimals, "&lt;0.001" below that, a star below <see cref="Level"/>, "—" when undefined.</summary>
    public static string Format(double p) => double.IsNaN(p)
        ? "—"
        : (p < 0.001 ? "<0.001" : p.ToString("F3", CultureInfo.InvariantCulture)) + (p < Level ? " *" : "");

    /// <summary>The p-value cell of a row tested against <paramref name="against"/>; null: the row is the baseline.</summary>
    public static string Cell(SeedSummary row, SeedSummary? against) => against is null ? "baseline" : Format(PValue(row, against));

    /// <summary>The sentence under a table with p-values, naming what each row was tested against.</summary>
    public static string Legend(string baseline) =>
        $"p: two-sided Welch t-test of each row's seeds against those of {baseline}; * marks p < {Level.ToString(CultureInfo.InvariantCulture)}, — a row without two seeds or spread on both sides.";
}
