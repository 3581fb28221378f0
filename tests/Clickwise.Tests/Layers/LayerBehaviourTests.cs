using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

public sealed class LayerBehaviourTests
{
    [Fact]
    public void FieldPairsEnumerateTheUpperTriangleRowByRow()
    {
        const int F = 5;
        int expected = 0;
        for (int i = 0; i < F; i++)
        {
            for (int j = i + 1; j < F; j++)
            {
                Assert.Equal(expected++, FieldPairs.Index(i, j, F));
            }
        }

        Assert.Equal(10, FieldPairs.Count(F));
        Assert.Equal(741, FieldPairs.Count(39));
        Assert.Throws<ArgumentOutOfRangeException>(() => FieldPairs.Index(2, 2, F));
    }

    [Fact]
    public void FMSumSquareEqualsExplicitPairSum()
    {
        const int B = 3, F = 5, D = 4;
        float[] e = GradientCheck.RandomWeights(B * F * D, 1);
        var y = new float[B];
        FMInteraction.Forward(e, B, F, D, new float[B * D], y);
        for (int b = 0; b < B; b++)
        {
            double expected = 0;
            for (int i = 0; i < F; i++)
            {
                for (int j = i + 1; j < F; j++)
                {
                    for (int d = 0; d < D; d++)
                    {
                        expected += (double)e[(b * F + i) * D + d] * e[(b * F + j) * D + d];
                    }
                }
            }

            Assert.Equal(expected, y[b], 1e-5);
        }
    }

    [Fact]
    public void FwFMWithUnitPairWeightsIsFM()
    {
        const int B = 3, F = 6, D = 2;
        float[] e = GradientCheck.RandomWeights(B * F * D, 2);
        float[] ones = Enumerable.Repeat(1f, FieldPairs.Count(F)).ToArray();
        var fm = new float[B];
        var fwfm = new float[B];
        FMInteraction.Forward(e, B, F, D, new float[B * D], fm);
        new FwFMHarness(B, F, D).Forward(e, ones, fwfm);
        for (int b = 0; b < B; b++)
        {
            Assert.Equal(fm[b], fwfm[b], 1e-5);
        }
    }

    [Fact]
    public void FwFMMatchesThePairLoopDefinition()
    {
        const int B = 7, F = 9, D = 5;
        float[] e = GradientCheck.RandomWeights(B * F * D, 3);
        float[] r = GradientCheck.RandomWeights(FieldPairs.Count(F), 4);
        var y = new float[B];
        new FwFMHarness(B, F, D).Forward(e, r, y);
        for (int b = 0; b < B; b++)
        {
            Assert.Equal(FwFMHarness.PairLoop(e, r, b, F, D), y[b], 1e-5);
        }
    }

    [Fact]
    public void FwFMPairWeightScalesOnlyItsPair()
    {
        // Fields 0,1,2 with embeddings whose only non-zero dot product is between fields 1 and 2.
        float[] e = [1, 0, /* f1 */ 0, 2, /* f2 */ 0, 3];
        float[] r = [10, 20, 0.5f]; // (0,1), (0,2), (1,2)
        var y = new float[1];
        new FwFMHarness(1, 3, 2).Forward(e, r, y);
        Assert.Equal(0.5f * 6f, y[0]);
    }

    [Fact]
    public void EmbeddingScalesRowsByValuesAndSumsRepeatedIds()
    {
        float[] table = [1, 2, 3, 4, 5, 6]; // 3 rows of width 2
        int[] ids = [2, 2];
        float[] values = [0.5f, -1f];
        var outBuf = new float[4];
        Embedding.Forward(table, ids, values, true, 1, 2, 2, outBuf);
        Assert.Equal([2.5f, 3f, -5f, -6f], outBuf);
        var grad = new RowGradient(3, 2, 4);
        Embedding.Backward(table, ids, values, true, [1, 1, 1, 1], 1, 2, 2, grad, default);
        Assert.Equal(1, grad.Count);
        Assert.Equal(2, grad.Rows[0]);
        Assert.Equal([-0.5f, -0.5f], grad.SlotValues(0).ToArray());
    }

    [Fact]
    public void LogLossIsStableForExtremeLogits()
    {
        float[] z = [100f, -100f, 0f, 30f];
        float[] y = [0f, 1f, 1f, 1f];
        var d = new float[4];
        double loss = BinaryLogLoss.Forward(z, y, 4, d);
        double expected = (100 + 100 + Math.Log(2) + Math.Log(1 + Math.Exp(-30))) / 4;
        Assert.Equal(expected, loss, 1e-9);
        Assert.Equal(0.25f, d[0], 1e-6f);
        Assert.Equal(-0.25f, d[1], 1e-6f);
        Assert.Equal(-0.125f, d[2], 1e-6f);
        Assert.True(float.IsFinite(BinaryLogLoss.Sigmoid(-1000f)) && BinaryLogLoss.Sigmoid(-1000f) == 0f);
        Assert.Equal(1f, BinaryLogLoss.Sigmoid(1000f));
    }

    [Fact]
    public void DropoutMaskHasTheRateAndTheInvertedScale()
    {
        const int n = 100_000;
        var mask = new float[n];
        Dropout.FillMask(new SeededRandom(7), 0.3f, mask);
        int dropped = mask.Count(m => m == 0f);
        Assert.InRange(dropped / (double)n, 0.29, 0.31);
        Assert.All(mask, m => Assert.True(m == 0f || Math.Abs(m - 1f / 0.7f) < 1e-6f));
        // Inverted dropout keeps the expectation: mean of mask ≈ 1.
        Assert.InRange(mask.Average(), 0.98, 1.02);
    }

    [Fact]
    public void DropoutIsDeterministicForASeedAndDiffersAcrossSeeds()
    {
        var a = new float[256];
        var b = new float[256];
        var c = new float[256];
        Dropout.FillMask(new SeededRandom(11), 0.5f, a);
        Dropout.FillMask(new SeededRandom(11), 0.5f, b);
        Dropout.FillMask(new SeededRandom(12), 0.5f, c);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void DropoutRejectsRateOfOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.FillMask(new SeededRandom(1), 1f, new float[4]));
    }

    [Fact]
    public void MlpWithoutOutputUnitStopsAtTheLastHiddenLayer()
    {
        var full = new ParameterSet();
        var mlp = new Mlp(full, "mlp", 6, [5, 4], 0f, new SeededRandom(1), dropoutSeed: 1).Prepare(2);
        Assert.True(mlp.HasOutputUnit);
        Assert.Equal(1, mlp.OutputSize);
        Assert.Equal(["mlp.0.weight", "mlp.0.bias", "mlp.1.weight", "mlp.1.bias", "mlp.2.weight", "mlp.2.bias"], full.Select(p => p.Name));

        var hidden = new ParameterSet();
        var stream = new Mlp(hidden, "mlp1", 6, [5, 4], 0f, new SeededRandom(1), dropoutSeed: 1, outputUnit: false).Prepare(2);
        Assert.False(stream.HasOutputUnit);
        Assert.Equal(4, stream.OutputSize);
        Assert.Equal(["mlp1.0.weight", "mlp1.0.bias", "mlp1.1.weight", "mlp1.1.bias"], hidden.Select(p => p.Name));
        Assert.Equal(full["mlp.1.weight"].Value, hidden["mlp1.1.weight"].Value); // the same draws for the shared layers

        // The output is the last hidden activation: ReLU(ReLU(x·W0 + b0)·W1 + b1).
        float[] x = [.. Enumerable.Range(0, 12).Select(i => 0.1f * i - 0.5f)];
        var y = new float[8];
        stream.Forward(x, 2, y, training: false);
        var h0 = new float[10];
        var h1 = new float[8];
        Linear.Forward(ComputeContext.Default, x, hidden["mlp1.0.weight"].Value, hidden["mlp1.0.bias"].Value, 2, 6, 5, h0);
        Relu.Forward(h0, 10, h0);
        Linear.Forward(ComputeContext.Default, h0, hidden["mlp1.1.weight"].Value, hidden["mlp1.1.bias"].Value, 2, 5, 4, h1);
        Relu.Forward(h1, 8, h1);
        Assert.Equal(h1, y);

        Assert.Throws<ArgumentException>(() => new Mlp(new ParameterSet(), "m", 6, [], 0f, new SeededRandom(1), 1, outputUnit: false).Prepare(2));
    }

    [Fact]
    public void MlpDropoutBackwardUsesTheForwardMask()
    {
        // One hidden layer of width 8, identity-like weights: a dropped unit must get zero weight gradient.
        var parameters = new ParameterSet();
        var mlp = new Mlp(parameters, "mlp", 8, [8], 0.5f, new SeededRandom(1), dropoutSeed: 5).Prepare(1);
        Parameter w0 = parameters["mlp.0.weight"];
        w0.Value.AsSpan().Clear();
        for (int i = 0; i < 8; i++)
        {
            w0.Value[i * 8 + i] = 1f;
        }

        parameters["mlp.1.weight"].Value.AsSpan().Fill(1f);
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        var y = new float[1];
        mlp.Forward(x, 1, y, training: true);
        var dX = new float[8];
        mlp.Backward(x, [1f], 1, dX);

        // y = Σ_kept 2·x_i; dX_i = 2 for kept units, 0 for dropped ones, and the output agrees with that mask.
        float fromGradient = 0f;
        for (int i = 0; i < 8; i++)
        {
            Assert.True(dX[i] == 0f || dX[i] == 2f, $"dX[{i}] = {dX[i]}");
            fromGradient += dX[i] * x[i];
        }

        Assert.Equal(fromGradient, y[0], 1e-5f);
        Assert.Contains(dX, v => v == 0f);
        Assert.Contains(dX, v => v == 2f);

        // Evaluation mode never drops.
        mlp.Forward(x, 1, y, training: false);
        Assert.Equal(36f, y[0], 1e-5f);
    }

    [Fact]
    public void ResettingTheDropoutSeedReplaysTheMasks()
    {
        var mlp = new Mlp(new ParameterSet(), "mlp", 4, [32], 0.5f, new SeededRandom(1), dropoutSeed: 8).Prepare(2);
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        var first = new float[2];
        var again = new float[2];
        var other = new float[2];
        mlp.ResetDropout(9);
        mlp.Forward(x, 2, first, training: true);
        mlp.Forward(x, 2, other, training: true); // the stream moved on: new masks
        mlp.ResetDropout(9);
        mlp.Forward(x, 2, again, training: true);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    /// <summary>
    /// A data-parallel rank computing shard r of a global batch draws the dropout masks one process draws for those rows
    /// (rows × width a multiple of 4, as for every preset), so ranks never share masks; its second layer too, which
    /// starts after every shard's draws of the first.
    /// </summary>
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    public void ARankDrawsTheMasksOfItsRowsOfTheGlobalBatch(int index, int shards)
    {
        const int rows = 4, input = 5;
        var whole = new ParameterSet();
        var single = new Mlp(whole, "mlp", input, [12, 8], 0.5f, new SeededRandom(1), dropoutSeed: 8).Prepare(rows * shards);
        var shard = new Mlp(new ParameterSet(), "mlp", input, [12, 8], 0.5f, new SeededRandom(1), dropoutSeed: 8)
            .Prepare(rows, ComputeContext.Default with { BatchShard = new BatchShard(index, shards), Threads = 1 });
        float[] x = [.. Enumerable.Range(0, rows * shards * input).Select(i => MathF.Sin(i) + 0.5f)];
        var all = new float[rows * shards];
        var mine = new float[rows];
        single.ResetDropout(21);
        shard.ResetDropout(21);
        single.Forward(x, rows * shards, all, training: true);
        shard.Forward(x.AsSpan(index * rows * input, rows * input), rows, mine, training: true);
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(all[(index * rows) + r], mine[r], 1e-5f); // a mask that differs moves a logit by far more
        }

        Assert.Contains(single.HiddenOutput(0, rows * shards).ToArray(), h => h == 0f); // dropout did drop units
    }

    [Fact]
    public void SeededRandomIsReproducibleAndNormalHasUnitVariance()
    {
        var a = new SeededRandom(42);
        var b = new SeededRandom(42);
        Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var values = new float[50_000];
        new SeededRandom(3).FillNormal(values, 2.0);
        double mean = values.Average();
        double var = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(Math.Sqrt(var), 1.95, 2.05);
    }
}
