using Clickwise.Compression.LowRank;
using Clickwise.Tests.Kernels;

namespace Clickwise.Tests.Compression.LowRank;

/// <summary>Both statistics against a direct two-pass computation in double.</summary>
public sealed class StatisticsTests
{
    [Fact]
    public void StreamedCovarianceOfOutputsFarFromZeroEqualsTheTwoPassOne()
    {
        const int m = 7, batches = 5, rowsPerBatch = 33;
        var all = new List<float[]>();
        var stats = new OutputStatistics(m);
        for (int b = 0; b < batches; b++)
        {
            // An offset of 1000 with unit spread: E[yyᵀ] − μμᵀ in float would lose every digit.
            float[] y = [.. KernelData.Random(rowsPerBatch * m, b + 1).Select((v, i) => v + 1000f + i % m)];
            all.Add(y);
            stats.Add(y, rowsPerBatch);
        }

        Assert.Equal(batches * rowsPerBatch, stats.Count);
        double[] rows = [.. all.SelectMany(y => y.Select(v => (double)v))];
        int n = batches * rowsPerBatch;
        double[] mean = [.. Enumerable.Range(0, m).Select(j => Enumerable.Range(0, n).Sum(r => rows[r * m + j]) / n)];
        double[] got = stats.Mean();
        for (int j = 0; j < m; j++)
        {
            Assert.Equal(mean[j], got[j], 1e-9);
        }

        double[] cov = stats.Covariance();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double expected = Enumerable.Range(0, n).Sum(r => (rows[r * m + i] - mean[i]) * (rows[r * m + j] - mean[j])) / n;
                Assert.True(Math.Abs(expected - cov[i * m + j]) <= 1e-5 * Math.Max(1, Math.Abs(expected)),
                    $"cov[{i},{j}] {cov[i * m + j]} against {expected}");
            }
        }
    }

    [Fact]
    public void StatisticsWithoutRowsAreAnError()
    {
        Assert.Throws<InvalidOperationException>(() => new OutputStatistics(3).Covariance());
        Assert.Throws<InvalidOperationException>(() => new EmbeddingStatistics(3, 1).FieldMoments(new float[6], 2, 0, 3));
        Assert.Throws<ArgumentException>(() => new OutputStatistics(3).Add(new float[5], 2));
    }

    [Fact]
    public void EmbeddingMomentsFromIdCountsEqualMomentsOfTheGatheredOutputs()
    {
        // Two fields: rows 0-3 and 4-8 of a [9, 3] table; values ≠ 1 as libsvm data has.
        const int width = 3, fields = 2, samples = 50;
        float[] table = KernelData.Random(9 * width, 11);
        var random = new Random(5);
        int[] ids = new int[samples * fields];
        float[] values = new float[samples * fields];
        for (int s = 0; s < samples; s++)
        {
            ids[s * fields] = random.Next(0, 3); // row 3 never occurs
            ids[s * fields + 1] = 4 + random.Next(0, 5);
            values[s * fields] = (float)(0.5 + random.NextDouble());
            values[s * fields + 1] = (float)(0.5 + random.NextDouble());
        }

        var stats = new EmbeddingStatistics(9, fields);
        stats.Add(ids.AsSpan(0, 20 * fields), values.AsSpan(0, 20 * fields), 20);
        stats.Add(ids.AsSpan(20 * fields), values.AsSpan(20 * fields), samples - 20);

        for (int f = 0; f < fields; f++)
        {
            (double[] mean, double[] cov) = stats.FieldMoments(table, width, f == 0 ? 0 : 4, f == 0 ? 4 : 5);
            double[][] e = [.. Enumerable.Range(0, samples).Select(s =>
                Enumerable.Range(0, width).Select(a => (double)values[s * fields + f] * table[ids[s * fields + f] * width + a]).ToArray())];
            for (int a = 0; a < width; a++)
            {
                double mu = e.Average(v => v[a]);
                Assert.Equal(mu, mean[a], 1e-12);
                for (int b = 0; b < width; b++)
                {
                    double expected = e.Average(v => v[a] * v[b]) - mu * e.Average(v => v[b]);
                    Assert.Equal(expected, cov[a * width + b], 1e-12);
                }
            }
        }
    }
}
