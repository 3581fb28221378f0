using Clickwise.Kernels;

namespace Clickwise.Tests.Kernels;

/// <summary>A pruned MLP compiled to its live sub-network computes what the full network computes.</summary>
public sealed class SparseMlpTests
{
    [Theory]
    [InlineData(39, new[] { 40, 40, 40 }, 0.9, 1)]
    [InlineData(39, new[] { 40, 40, 40 }, 0.99, 2)]
    [InlineData(12, new[] { 7 }, 0.5, 3)]
    [InlineData(10, new int[0], 0.5, 4)]
    [InlineData(16, new[] { 24, 9 }, 0.0, 5)]
    public void MatchesTheDenseNetwork(int inputs, int[] hidden, double sparsity, int seed)
    {
        var random = new Random(seed);
        (float[][] weights, float[][] biases) = Network(inputs, hidden, sparsity, random);
        SparseMlp mlp = SparseMlp.FromDense(weights, biases, inputs);

        for (int row = 0; row < 20; row++)
        {
            float[] x = [.. Enumerable.Range(0, inputs).Select(_ => (float)(random.NextDouble() * 2 - 1))];
            Assert.Equal(Reference(weights, biases, x), Forward(mlp, x), 1e-4);
        }

        Assert.Equal(hidden, mlp.HiddenSizes);
    }

    [Fact]
    public void DeadNeuronsAreFoldedOrDroppedAndTheRestStayLive()
    {
        var random = new Random(9);
        (float[][] weights, float[][] biases) = Network(6, [5, 4], 0.0, random);
        // Hidden-1 neuron 2 has no input weight: its constant ReLU(b) must reach layer 2 through the biases.
        for (int i = 0; i < 6; i++)
        {
            weights[0][i * 5 + 2] = 0f;
        }

        biases[0][2] = 0.7f;
        // Hidden-1 neuron 4 is read by no one: dropped.
        for (int k = 0; k < 4; k++)
        {
            weights[1][4 * 4 + k] = 0f;
        }

        // Hidden-2 neuron 1 does not reach the output: dropped.
        weights[2][1] = 0f;
        SparseMlp mlp = SparseMlp.FromDense(weights, biases, 6);

        Assert.Equal([3, 3], mlp.LiveNeurons);
        float[] x = [0.3f, -0.2f, 0.9f, 0.1f, -0.5f, 0.4f];
        Assert.Equal(Reference(weights, biases, x), Forward(mlp, x), 1e-5);
    }

    [Fact]
    public void AFullyPrunedLayerLeavesAConstant()
    {
        var random = new Random(4);
        (float[][] weights, float[][] biases) = Network(8, [6, 5], 0.0, random);
        Array.Clear(weights[1]);
        SparseMlp mlp = SparseMlp.FromDense(weights, biases, 8);

        Assert.Equal([0, 0], mlp.LiveNeurons);
        Assert.Equal(0, mlp.NonZeroCount);
        float constant = Reference(weights, biases, new float[8]);
        Assert.Equal(constant, Forward(mlp, [.. Enumerable.Range(0, 8).Select(i => (float)i)]), 1e-6);
    }

    private static (float[][] Weights, float[][] Biases) Network(int inputs, int[] hidden, double sparsity, Random random)
    {
        int[] sizes = [inputs, .. hidden, 1];
        float[][] weights = [.. Enumerable.Range(0, sizes.Length - 1).Select(l =>
            Enumerable.Range(0, sizes[l] * sizes[l + 1]).Select(_ => random.NextDouble() < sparsity ? 0f : (float)(random.NextDouble() - 0.5)).ToArray())];
        float[][] biases = [.. Enumerable.Range(1, sizes.Length - 1).Select(l =>
            Enumerable.Range(0, sizes[l]).Select(_ => (float)(random.NextDouble() - 0.3)).ToArray())];
        return (weights, biases);
    }

    private static unsafe float Forward(SparseMlp mlp, float[] x)
    {
        float[] a = new float[mlp.Width], b = new float[mlp.Width];
        fixed (float* px = x, pa = a, pb = b)
        {
            return mlp.Forward(px, pa, pb);
        }
    }

    private static float Reference(float[][] weights, float[][] biases, float[] x)
    {
        double[] h = [.. x.Select(v => (double)v)];
        for (int l = 0; l < weights.Length; l++)
        {
            int n = biases[l].Length;
            var next = new double[n];
            for (int j = 0; j < n; j++)
            {
                double sum = biases[l][j];
                for (int i = 0; i < h.Length; i++)
                {
                    sum += h[i] * weights[l][i * n + j];
                }

                next[j] = l < weights.Length - 1 ? Math.Max(0, sum) : sum;
            }

            h = next;
        }

        return (float)h[0];
    }
}
