using Clickwise.Data.Synthetic;

namespace Clickwise.Tests.Synthetic;

public sealed class ZipfSamplerTests
{
    [Theory]
    [InlineData(1L, 1.1)]
    [InlineData(3L, 1.1)]
    [InlineData(1000L, 1.1)]
    [InlineData(5_000_000L, 1.1)]
    [InlineData(200_000L, 0.8)]
    public void ProbabilitiesSumToOne(long cardinality, double exponent)
    {
        var zipf = new ZipfSampler(cardinality, exponent);
        double sum = 0;
        for (long rank = 0; rank < cardinality; rank++)
        {
            sum += zipf.Probability(rank);
        }

        Assert.Equal(1.0, sum, 9);
    }

    [Fact]
    public void DrawsMatchProbabilitiesInHeadAndTail()
    {
        const int draws = 400_000;
        var zipf = new ZipfSampler(1_000_000, 1.1);
        var rng = Xoshiro256.ForStream(5, 0);
        var head = new int[4];
        long tail = 0;
        long beyondHalf = 0;
        for (int i = 0; i < draws; i++)
        {
            long rank = zipf.Sample(ref rng);
            Assert.InRange(rank, 0, 999_999);
            if (rank < head.Length)
            {
                head[rank]++;
            }

            tail += rank >= ZipfSampler.MaxHead ? 1 : 0;
            beyondHalf += rank >= 500_000 ? 1 : 0;
        }

        for (int rank = 0; rank < head.Length; rank++)
        {
            Assert.InRange((double)head[rank] / draws, zipf.Probability(rank) * 0.97, zipf.Probability(rank) * 1.03);
        }

        double tailMass = 0;
        double upperHalfMass = 0;
        for (long rank = ZipfSampler.MaxHead; rank < 1_000_000; rank++)
        {
            double p = zipf.Probability(rank);
            tailMass += p;
            upperHalfMass += rank >= 500_000 ? p : 0;
        }

        Assert.InRange(tailMass, 0.1, 0.3);
        Assert.InRange((double)tail / draws, tailMass * 0.98, tailMass * 1.02);
        Assert.InRange((double)beyondHalf / draws, upperHalfMass * 0.93, upperHalfMass * 1.07);
    }

    [Fact]
    public void SingleCategoryAlwaysDrawsRankZero()
    {
        var zipf = new ZipfSampler(1, 1.1);
        var rng = Xoshiro256.ForStream(1, 1);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(0, zipf.Sample(ref rng));
        }
    }
}
