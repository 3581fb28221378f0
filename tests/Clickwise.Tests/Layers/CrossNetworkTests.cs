using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>
/// Every cross-layer kind stacked in a <see cref="CrossNetwork"/>: the forward against the paper's recursion written
/// as plain loops in double, and a central-difference check of x_0 and every parameter.
/// </summary>
public sealed class CrossNetworkTests(ITestOutputHelper output)
{
    private const int B = 3, N = 6, L = 3, Rank = 2, Experts = 3;

    public static TheoryData<string> Kinds => ["dcn", "dcnv2", "dcnv2_mix", "gdcn"];

    private static ICrossLayers Create(string kind, ParameterSet parameters, int layers = L) => kind switch
    {
        "dcn" => new DcnCrossLayers(parameters, kind, N, layers, new SeededRandom(1)),
        "dcnv2" => new DcnV2CrossLayers(parameters, kind, N, layers, new SeededRandom(1)),
        "dcnv2_mix" => new DcnV2MixtureCrossLayers(parameters, kind, N, layers, Rank, Experts, new SeededRandom(1)),
        "gdcn" => new GatedCrossLayers(parameters, kind, N, layers, new SeededRandom(1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ForwardFollowsThePaperRecursion(string kind)
    {
        ParameterSet parameters = GradientCheck.RandomizeBiases(new ParameterSet());
        var network = new CrossNetwork(Create(kind, parameters)).Prepare(B);
        float[] x0 = GradientCheck.RandomWeights(B * N, 2);
        var y = new float[B * N];
        network.Forward(x0, B, y);
        for (int b = 0; b < B; b++)
        {
            double[] first = [.. x0.AsSpan(b * N, N).ToArray().Select(v => (double)v)];
            double[] x = first;
            for (int l = 0; l < L; l++)
            {
                x = Definition(kind, parameters, $"{kind}.{l}", first, x);
            }

            for (int n = 0; n < N; n++)
            {
                Assert.Equal(x[n], y[b * N + n], 1e-4);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void GradientOfX0AndEveryParameter(string kind)
    {
        foreach (int layers in new[] { 1, L })
        {
            ParameterSet parameters = GradientCheck.RandomizeBiases(new ParameterSet());
            var network = new CrossNetwork(Create(kind, parameters, layers)).Prepare(B);
            float[] x0 = GradientCheck.RandomWeights(B * N, 3), r = GradientCheck.RandomWeights(B * N, 4);
            var y = new float[B * N];
            double Loss()
            {
                network.Forward(x0, B, y);
                return GradientCheck.Dot(y, r);
            }

            Loss();
            var dX0 = new float[x0.Length];
            network.Backward(x0, r, B, dX0);
            GradientCheck.Check($"{kind}[{layers}].x0", x0, dX0, Loss, output: output);
            GradientCheck.CheckParameters(parameters, Loss, output: output);
        }
    }

    /// <summary>A smaller batch than planned uses only the first rows of every buffer (up to the last-bit differences
    /// of vectorised element-wise kernels over different lengths).</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void PartialBatchMatchesTheFullBatchRows(string kind)
    {
        ParameterSet parameters = GradientCheck.RandomizeBiases(new ParameterSet());
        var network = new CrossNetwork(Create(kind, parameters)).Prepare(B);
        float[] x0 = GradientCheck.RandomWeights(B * N, 5);
        var full = new float[B * N];
        var part = new float[B * N];
        network.Forward(x0, B, full);
        network.Forward(x0, 1, part);
        for (int n = 0; n < N; n++)
        {
            Assert.Equal(full[n], part[n], 1e-6f);
        }
    }

    /// <summary>x_{l+1} for one sample, by the paper's formula.</summary>
    private static double[] Definition(string kind, ParameterSet p, string layer, double[] x0, double[] x)
    {
        double[] next = new double[N];
        switch (kind)
        {
            case "dcn":
            {
                double s = 0;
                for (int m = 0; m < N; m++)
                {
                    s += x[m] * p[$"{layer}.weight"].Value[m];
                }

                for (int n = 0; n < N; n++)
                {
                    next[n] = x0[n] * s + p[$"{layer}.bias"].Value[n] + x[n];
                }

                break;
            }

            case "dcnv2":
            {
                double[] u = Add(Times(x, p[$"{layer}.weight"].Value, N), p[$"{layer}.bias"].Value);
                for (int n = 0; n < N; n++)
                {
                    next[n] = x0[n] * u[n] + x[n];
                }

                break;
            }

            case "gdcn":
            {
                double[] u = Add(Times(x, p[$"{layer}.weight"].Value, N), p[$"{layer}.bias"].Value);
                double[] g = Times(x, p[$"{layer}.gate"].Value, N);
                for (int n = 0; n < N; n++)
                {
                    next[n] = x0[n] * u[n] / (1 + Math.Exp(-g[n])) + x[n];
                }

                break;
            }

            case "dcnv2_mix":
            {
                double[] scores = Times(x, p[$"{layer}.gate"].Value, Experts);
                double z = scores.Sum(Math.Exp);
                Array.Copy(x, next, N);
                for (int i = 0; i < Experts; i++)
                {
                    string e = $"{layer}.expert.{i}";
                    double[] low = Times(x, p[$"{e}.v"].Value, Rank).Select(Math.Tanh).ToArray();
                    double[] mid = Times(low, p[$"{e}.c"].Value, Rank).Select(Math.Tanh).ToArray();
                    double[] up = Add(Times(mid, p[$"{e}.u"].Value, N), p[$"{layer}.bias"].Value);
                    for (int n = 0; n < N; n++)
                    {
                        next[n] += Math.Exp(scores[i]) / z * x0[n] * up[n];
                    }
                }

                break;
            }
        }

        return next;
    }

    /// <summary>x·W for W stored [x.Length, outputs].</summary>
    private static double[] Times(double[] x, float[] weight, int outputs)
    {
        var y = new double[outputs];
        for (int m = 0; m < x.Length; m++)
        {
            for (int n = 0; n < outputs; n++)
            {
                y[n] += x[m] * weight[m * outputs + n];
            }
        }

        return y;
    }

    private static double[] Add(double[] x, float[] bias) => [.. x.Select((v, i) => v + bias[i])];
}
