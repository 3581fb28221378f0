using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>xDeepFM's CIN against eq. 6-7 written per sample in double, and its gradients, in one and several column blocks.</summary>
public sealed class CompressedInteractionNetworkTests(ITestOutputHelper output)
{
    private const int F = 3;
    private static readonly int[] Sizes = [4, 6, 3];

    private static CompressedInteractionNetwork Create(ParameterSet parameters, int dim, int batch, bool splitHalf)
    {
        var cin = new CompressedInteractionNetwork(parameters, "cin", F, dim, Sizes, splitHalf, new SeededRandom(1)).Prepare(batch);
        GradientCheck.RandomizeBiases(parameters);
        return cin;
    }

    /// <summary>D = 200 puts two samples in a 512-column block, so a batch of 5 runs three blocks, the last partial.</summary>
    [Theory]
    [InlineData(4, 3, false)]
    [InlineData(4, 3, true)]
    [InlineData(200, 5, true)]
    public void ForwardIsSumPooledCompressedOuterProducts(int dim, int batch, bool splitHalf)
    {
        var parameters = new ParameterSet();
        CompressedInteractionNetwork cin = Create(parameters, dim, batch, splitHalf);
        Assert.Equal(splitHalf ? 2 + 3 + 3 : 4 + 6 + 3, cin.OutputSize);
        float[] e = GradientCheck.RandomWeights(batch * F * dim, 3);
        var y = new float[batch * cin.OutputSize];
        cin.Forward(e, batch, y);
        for (int b = 0; b < batch; b++)
        {
            double[,] x0 = new double[F, dim];
            for (int j = 0; j < F; j++)
            {
                for (int d = 0; d < dim; d++)
                {
                    x0[j, d] = e[(b * F + j) * dim + d];
                }
            }

            double[,] previous = x0;
            int column = 0;
            for (int k = 0; k < Sizes.Length; k++)
            {
                int h = Sizes[k], rows = previous.GetLength(0);
                float[] w = parameters[$"cin.{k}.weight"].Value, bias = parameters[$"cin.{k}.bias"].Value;
                var x = new double[h, dim];
                for (int u = 0; u < h; u++)
                {
                    for (int d = 0; d < dim; d++)
                    {
                        double v = bias[u];
                        for (int i = 0; i < rows; i++)
                        {
                            for (int j = 0; j < F; j++)
                            {
                                v += w[(i * F + j) * h + u] * previous[i, d] * x0[j, d];
                            }
                        }

                        x[u, d] = v;
                    }
                }

                bool split = splitHalf && k < Sizes.Length - 1;
                for (int u = split ? h / 2 : 0; u < h; u++, column++)
                {
                    double pooled = Enumerable.Range(0, dim).Sum(d => x[u, d]);
                    Assert.Equal(pooled, y[b * cin.OutputSize + column], 1e-4 * Math.Max(1, Math.Abs(pooled)));
                }

                previous = split ? Rows(x, h / 2) : x;
            }
        }
    }

    [Theory]
    [InlineData(4, 3, false)]
    [InlineData(4, 3, true)]
    [InlineData(200, 5, true)]
    public void GradientOfEmbeddingsAndEveryParameter(int dim, int batch, bool splitHalf)
    {
        var parameters = new ParameterSet();
        CompressedInteractionNetwork cin = Create(parameters, dim, batch, splitHalf);
        float[] e = GradientCheck.RandomWeights(batch * F * dim, 4), r = GradientCheck.RandomWeights(batch * cin.OutputSize, 5);
        var y = new float[r.Length];
        double Loss()
        {
            cin.Forward(e, batch, y);
            return GradientCheck.Dot(y, r);
        }

        Loss();
        var dE = new float[e.Length];
        cin.Backward(r, batch, dE);
        // In the wide case every 7th entry keeps the check quick while still touching every sample and block.
        int stride = e.Length > 500 ? 7 : 1;
        GradientCheck.Check("cin.embeddings", e, dE, Loss, Enumerable.Range(0, e.Length).Where(i => i % stride == 0), output: output);
        GradientCheck.CheckParameters(parameters, Loss, output: output);
    }

    private static double[,] Rows(double[,] x, int count)
    {
        var top = new double[count, x.GetLength(1)];
        for (int u = 0; u < count; u++)
        {
            for (int d = 0; d < x.GetLength(1); d++)
            {
                top[u, d] = x[u, d];
            }
        }

        return top;
    }
}
