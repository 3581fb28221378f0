using System.Globalization;

namespace Clickwise.Experiments.Statistics;

/// <summary>A metric over seeds: how many, their mean and sample standard deviation (n − 1; 0 for one seed).</summary>
public sealed record SeedSummary(int Count, double Mean, double Std)
{
    public static SeedSummary Of(IEnumerable<double> values)
    {
        double[] v = [.. values];
        if (v.Length == 0)
        {
            return new SeedSummary(0, double.NaN, double.NaN);
        }

        double mean = v.Average();
        double std = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new SeedSummary(v.Length, mean, std);
    }

    /// <summary>"mean ± std" with five decimals, as every study table prints a metric; the value alone for one seed.</summary>
    public override string ToString() => Count < 2
        ? Mean.ToString("F5", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Mean:F5} ± {Std:F5}");
}
