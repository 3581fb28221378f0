using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Tests.Kernels;

namespace Clickwise.Tests.Layers;

public sealed class ReluDropoutTests
{
    [Theory]
    [InlineData(0.5f)]
    [InlineData(0.1f)]
    [InlineData(0.9999999f)]
    public void StreamDecidesExactlyLikeFillMaskAndAdvancesAsFar(float rate)
    {
        for (int n = 0; n <= 257; n++)
        {
            var drawn = new SeededRandom(n + 11);
            var taken = new SeededRandom(n + 11);
            float[] mask = new float[n];
            Dropout.FillMask(drawn, rate, mask);
            DropoutStream stream = DropoutStream.Take(taken, rate, n, BatchShard.Whole);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(mask[i], stream.Keeps(i) ? stream.Scale : 0f);
            }

            Assert.Equal(drawn.State, taken.State);
        }
    }

    /// <summary>
    /// Data-parallel ranks take disjoint parts of a step's stream, each as long as one process's for its rows, and all
    /// advance past every part, so the next layer's draws are again the same on every rank.
    /// </summary>
    [Theory]
    [InlineData(2, 1000)]
    [InlineData(3, 257)]
    public void ShardsTakeDisjointPartsAndAdvancePastAll(int shards, int elements)
    {
        long draws = (elements + 3) / 4;
        var whole = new SeededRandom(99);
        DropoutStream single = DropoutStream.Take(whole, 0.5f, elements, BatchShard.Whole);
        var states = new HashSet<ulong>();
        for (int index = 0; index < shards; index++)
        {
            var random = new SeededRandom(99);
            DropoutStream part = DropoutStream.Take(random, 0.5f, elements, new BatchShard(index, shards));
            Assert.True(states.Add(part.State));
            for (int k = 0; k < draws; k++)
            {
                Assert.Equal(SeededRandom.DrawAt(single.State, (index * draws) + k), SeededRandom.DrawAt(part.State, k));
            }

            var after = new SeededRandom(99);
            after.Skip(draws * shards);
            Assert.Equal(after.State, random.State);
        }

        Assert.Equal(single.State, DropoutStream.Take(new SeededRandom(99), 0.5f, elements, new BatchShard(0, shards)).State);
    }

    [Fact]
    public void FillDrawsMatchesDrawAtFromAnyElement()
    {
        var stream = new DropoutStream(12345, 100, 2f);
        for (int first = 0; first < 40; first += 3)
        {
            ulong[] draws = new ulong[37];
            stream.FillDraws(first, draws);
            for (int k = 0; k < draws.Length; k++)
            {
                Assert.Equal(SeededRandom.DrawAt(stream.State, first / 4 + k), draws[k]);
            }
        }
    }

    public static TheoryData<string, bool> FastForward() => new(
        KernelRegistry.AllReluDropout.Skip(1).SelectMany(k => new[] { (k.Name, false), (k.Name, true) }));

    public static TheoryData<string> Fast() => new(KernelRegistry.AllReluDropout.Skip(1).Select(k => k.Name));

    [Theory]
    [MemberData(nameof(FastForward))]
    public void ForwardMatchesReferenceBitForBitForWidths0To257(string name, bool dropout)
    {
        IReluDropoutKernel kernel = KernelRegistry.AllReluDropout.Single(k => k.Name == name);
        for (int width = 0; width <= 257; width++)
        {
            const int rows = 3, firstRow = 5; // firstRow·width mod 4 varies with width: every chunk offset is hit
            float[] bias = KernelData.Random(width, width);
            float[] expected = KernelData.Random(rows * width, width + 1);
            float[] actual = (float[])expected.Clone();
            DropoutStream? stream = dropout ? DropoutStream.Take(new SeededRandom(width), 0.5f, 1000, BatchShard.Whole) : null;
            KernelRegistry.AllReluDropout[0].Forward(expected, bias, width, firstRow, rows, stream);
            kernel.Forward(actual, bias, width, firstRow, rows, stream);
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Fast))]
    public void OutputBackwardMatchesReferenceBitForBitForWidths0To257AndAnyColumnSplit(string name)
    {
        IReluDropoutKernel kernel = KernelRegistry.AllReluDropout.Single(k => k.Name == name);
        for (int width = 0; width <= 257; width++)
        {
            const int rows = 4;
            float[] h = KernelData.Random(rows * width, width), dY = KernelData.Random(rows, width + 1), w = KernelData.Random(width, width + 2);
            float[][] expected = [KernelData.Random(width, width + 3), new float[rows * width], KernelData.Random(width, width + 4)];
            float[][] actual = [.. expected.Select(a => (float[])a.Clone())];
            KernelRegistry.AllReluDropout[0].OutputBackward(h, dY, w, expected[0], expected[1], expected[2], rows, width, 0, width, 2f);
            int split = width / 3;
            kernel.OutputBackward(h, dY, w, actual[0], actual[1], actual[2], rows, width, 0, split, 2f);
            kernel.OutputBackward(h, dY, w, actual[0], actual[1], actual[2], rows, width, split, width, 2f);
            for (int a = 0; a < 3; a++)
            {
                Assert.Equal(expected[a], actual[a]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fast))]
    public void BackwardMatchesReferenceBitForBitForWidths0To257AndAnyColumnSplit(string name)
    {
        IReluDropoutKernel kernel = KernelRegistry.AllReluDropout.Single(k => k.Name == name);
        for (int width = 0; width <= 257; width++)
        {
            const int rows = 4;
            float[] h = KernelData.Random(rows * width, width);
            float[] dExpected = KernelData.Random(rows * width, width + 1);
            float[] dActual = (float[])dExpected.Clone();
            float[] biasExpected = KernelData.Random(width, width + 2);
            float[] biasActual = (float[])biasExpected.Clone();
            KernelRegistry.AllReluDropout[0].Backward(h, dExpected, rows, width, 0, width, 2f, biasExpected);
            int split = width / 3;
            kernel.Backward(h, dActual, rows, width, 0, split, 2f, biasActual);
            kernel.Backward(h, dActual, rows, width, split, width, 2f, biasActual);
            Assert.Equal(dExpected, dActual);
            Assert.Equal(biasExpected, biasActual);
        }
    }

    [Theory]
    [InlineData(0f, Activation.Relu)]
    [InlineData(0.5f, Activation.Relu)]
    [InlineData(0f, Activation.Tanh)]
    [InlineData(0.5f, Activation.Tanh)]
    public void MlpGivesTheSameBitsOnOneAndTwoThreads(float dropout, Activation activation)
    {
        (float[] Output, float[] DInput, float[][] Grads) Run(int threads)
        {
            const int B = 300, In = 37;
            var parameters = new ParameterSet();
            var mlp = new Mlp(parameters, "mlp", In, [70, 33], dropout, new SeededRandom(3), dropoutSeed: 4, activation)
                .Prepare(B, ComputeContext.Default with { Threads = threads });
            float[] x = KernelData.Random(B * In, 5), dY = KernelData.Random(B, 6);
            float[] y = new float[B], dX = new float[B * In];
            mlp.Forward(x, B, y, training: true);
            mlp.Backward(x, dY, B, dX);
            return (y, dX, [.. parameters.Select(p => p.Grad!)]);
        }

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Output, two.Output);
        Assert.Equal(one.DInput, two.DInput);
        for (int i = 0; i < one.Grads.Length; i++)
        {
            Assert.Equal(one.Grads[i], two.Grads[i]);
        }
    }
}
