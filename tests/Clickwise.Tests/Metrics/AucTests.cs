using Clickwise.Metrics;

namespace Clickwise.Tests.Metrics;

public sealed class AucTests
{
    [Fact]
    public void NoTies()
    {
        // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of 4 pairs ordered.
        Assert.Equal(0.75, Auc.Compute([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]));
    }

    [Fact]
    public void AllTiedIsOneHalf()
    {
        Assert.Equal(0.5, Auc.Compute([0.3f, 0.3f, 0.3f, 0.3f, 0.3f], [1, 0, 0, 1, 0]));
    }

    [Fact]
    public void TwoTieGroupsAndALoneNegative()
    {
        // Positives: 0.2, 0.5, 0.5; negatives: 0.2, 0.5, 0.9 (9 pairs).
        // 0.2 → tie with 0.2 (0.5); each 0.5 → beats 0.2, ties 0.5 (1.5). U = 3.5.
        double auc = Auc.Compute([0.2f, 0.2f, 0.5f, 0.5f, 0.5f, 0.9f], [0, 1, 0, 1, 1, 0]);
        Assert.Equal(3.5 / 9, auc, 15);
    }

    [Fact]
    public void ThreeTieGroupsMatchAveragedRanks()
    {
        // Averaged ranks 1.5, 1.5, 3.5, 3.5, 6, 6, 6; positives hold 1.5 + 6 + 6 = 13.5; U = 13.5 - 3·4/2 = 7.5.
        double auc = Auc.Compute([1f, 1f, 2f, 2f, 3f, 3f, 3f], [0, 1, 0, 0, 1, 1, 0]);
        Assert.Equal(7.5 / 12, auc, 15);
    }

    [Fact]
    public void NegativeScoresOrderAndSignedZerosTie()
    {
        Assert.Equal(1.0, Auc.Compute([-2f, -1f, -3f], [0, 1, 0]));
        Assert.Equal(0.0, Auc.Compute([-2f, -1f, -3f], [1, 0, 1]));
        Assert.Equal(0.5, Auc.Compute([-0f, 0f], [0, 1]));
        Assert.Equal(0.5, Auc.Compute([0f, -0f], [0, 1]));
        Assert.Equal(1.0, Auc.Compute([float.NegativeInfinity, -1e-30f, 1e-30f, float.PositiveInfinity], [0, 0, 1, 1]));
    }

    [Fact]
    public void UndefinedCasesAreNaN()
    {
        Assert.True(double.IsNaN(Auc.Compute([], [])));
        Assert.True(double.IsNaN(Auc.Compute([0.1f, 0.9f], [1, 1])));
        Assert.True(double.IsNaN(Auc.Compute([0.1f, 0.9f], [0, 0])));
        Assert.True(double.IsNaN(Auc.Compute([0.1f, float.NaN], [0, 1])));
    }

    [Fact]
    public void BadInputsThrow()
    {
        Assert.Throws<ArgumentException>(() => Auc.Compute([0.1f, 0.2f], [0, 2]));
        Assert.Throws<ArgumentException>(() => Auc.Compute([0.1f, 0.2f], [0]));
        Assert.Throws<ArgumentException>(() => Auc.Compute([0.1f, 0.2f], [0, 1], new ulong[1]));
    }

    [Fact]
    public void EqualsPairCountingOnRandomDataWithManyTies()
    {
        var random = new Random(20261122);
        var scratch = new ulong[400];
        for (int trial = 0; trial < 300; trial++)
        {
            int n = random.Next(1, 400);
            int distinct = random.Next(1, 12);
            var scores = new float[n];
            var labels = new float[n];
            for (int i = 0; i < n; i++)
            {
                scores[i] = (random.Next(distinct) - distinct / 2) * 0.25f;
                labels[i] = random.NextDouble() < 0.3 ? 1 : 0;
            }

            double expected = PairCountingAuc(scores, labels);
            Assert.Equal(expected, Auc.Compute(scores, labels), 12);
            Assert.Equal(expected, Auc.Compute(scores, labels, scratch), 12);
        }
    }

    [Fact]
    public void ComputeLeavesInputsUntouched()
    {
        float[] scores = [0.9f, 0.1f, 0.5f];
        float[] labels = [1, 0, 1];
        Auc.Compute(scores, labels);
        Assert.Equal([0.9f, 0.1f, 0.5f], scores);
        Assert.Equal([1f, 0f, 1f], labels);
    }

    /// <summary>The definition: the fraction of (positive, negative) pairs ordered correctly, ties half.</summary>
    internal static double PairCountingAuc(float[] scores, float[] labels)
    {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (labels[i] != 1)
            {
                continue;
            }

            for (int j = 0; j < scores.Length; j++)
            {
                if (labels[j] != 0)
                {
                    continue;
                }

                pairs++;
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
        }

        return pairs == 0 ? double.NaN : wins / pairs;
    }
}
