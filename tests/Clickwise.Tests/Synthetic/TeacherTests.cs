using Clickwise.Data.Synthetic;
using Clickwise.Metrics;

namespace Clickwise.Tests.Synthetic;

public sealed class TeacherTests
{
    [Theory]
    [InlineData(SyntheticRow.Missing, 0)]
    [InlineData(-3L, 1)]
    [InlineData(-1L, 1)]
    [InlineData(0L, 2)]
    [InlineData(2L, 4)]
    [InlineData(3L, 6)] // 5 + ⌊ln(3)²⌋ = 5 + ⌊1.207⌋
    [InlineData(100L, 26)] // 5 + ⌊21.21⌋
    [InlineData(long.MaxValue, Teacher.CountBuckets - 1)]
    public void CountBucketsAreCriteoWinnersTransform(long value, int bucket)
    {
        Assert.Equal(bucket, Teacher.CountBucket(value));
    }

    [Fact]
    public void CalibrationHitsTheLogitSpreadAndPositiveRate()
    {
        SyntheticProfile profile = SyntheticProfile.Create("criteo", 0.1);
        var sampler = new RowSampler(profile, 1.1);
        var teacher = new Teacher(profile, seed: 3);
        var row = new SyntheticRow(profile.Fields.Count, profile.MissingGroups);
        var rng = Xoshiro256.ForStream(3, 77);
        var raw = new double[20_000];
        for (int i = 0; i < raw.Length; i++)
        {
            sampler.Sample(ref rng, i, raw.Length, row);
            raw[i] = teacher.RawLogit(row);
        }

        teacher.Calibrate(raw, logitStd: 1.4, positiveRate: 0.25);
        double mean = raw.Average(z => LogLoss.Sigmoid(teacher.Bias + teacher.Scale * z));
        Assert.Equal(0.25, mean, 9);
        double meanLogit = raw.Average(z => teacher.Scale * z);
        double std = Math.Sqrt(raw.Average(z => Math.Pow(teacher.Scale * z - meanLogit, 2)));
        Assert.Equal(1.4, std, 9);
    }

    [Fact]
    public void RareCategoriesShareOneIdAndMissingHasItsOwn()
    {
        SyntheticProfile profile = SyntheticProfile.Create("criteo", 0.1);
        var teacher = new Teacher(profile, seed: 1);
        int c3 = profile.Fields.ToList().FindIndex(f => f.Name == "C3");
        Assert.Equal(5, teacher.IdOf(c3, 5));
        Assert.Equal(Teacher.EffectCap, teacher.IdOf(c3, Teacher.EffectCap));
        Assert.Equal(Teacher.EffectCap, teacher.IdOf(c3, 900_000));
        Assert.Equal(Teacher.EffectCap + 1, teacher.IdOf(c3, SyntheticRow.Missing));
    }
}
