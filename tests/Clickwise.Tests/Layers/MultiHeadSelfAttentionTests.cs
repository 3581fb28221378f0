using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>AutoInt's interacting layer against eq. 5-8 in double, and its gradients.</summary>
public sealed class MultiHeadSelfAttentionTests(ITestOutputHelper output)
{
    private const int B = 3, F = 4, Din = 5, Heads = 2, HeadDim = 3;

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ForwardIsReluOfAttendedValuesPlusResidual(bool residual, bool scaled)
    {
        var parameters = new ParameterSet();
        var attention = new MultiHeadSelfAttention(parameters, "att", F, Din, Heads, HeadDim, residual, scaled, B, new SeededRandom(1));
        float[] e = GradientCheck.RandomWeights(B * F * Din, 2);
        int width = Heads * HeadDim;
        var y = new float[B * F * width];
        attention.Forward(e, B, y);
        double[][] q = Project(e, parameters["att.query"].Value), k = Project(e, parameters["att.key"].Value);
        double[][] v = Project(e, parameters["att.value"].Value);
        double[][]? res = residual ? Project(e, parameters["att.residual"].Value) : null;
        double s = scaled ? 1 / Math.Sqrt(HeadDim) : 1;
        for (int b = 0; b < B; b++)
        {
            for (int h = 0; h < Heads; h++)
            {
                for (int i = 0; i < F; i++)
                {
                    double[] scores = [.. Enumerable.Range(0, F).Select(j => s * Enumerable.Range(0, HeadDim)
                        .Sum(c => q[b * F + i][h * HeadDim + c] * k[b * F + j][h * HeadDim + c]))];
                    double z = scores.Sum(Math.Exp);
                    for (int c = 0; c < HeadDim; c++)
                    {
                        double attended = Enumerable.Range(0, F).Sum(j => Math.Exp(scores[j]) / z * v[b * F + j][h * HeadDim + c]);
                        double expected = Math.Max(0, attended + (res?[b * F + i][h * HeadDim + c] ?? 0));
                        Assert.Equal(expected, y[(b * F + i) * width + h * HeadDim + c], 1e-5);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void GradientOfInputAndEveryParameter(bool residual, bool scaled)
    {
        var parameters = new ParameterSet();
        var attention = new MultiHeadSelfAttention(parameters, "att", F, Din, Heads, HeadDim, residual, scaled, B, new SeededRandom(3));
        float[] e = GradientCheck.RandomWeights(B * F * Din, 4), r = GradientCheck.RandomWeights(B * F * Heads * HeadDim, 5);
        var y = new float[r.Length];
        double Loss()
        {
            attention.Forward(e, B, y);
            return GradientCheck.Dot(y, r);
        }

        Loss();
        Assert.Contains(y, value => value == 0f); // the ReLU is exercised on both sides
        var dE = new float[e.Length];
        attention.Backward(e, r, B, dE);
        // A small step keeps the ReLU on one side of its kink.
        GradientCheck.Check("attention.input", e, dE, Loss, eps: 4e-3f, output: output);
        GradientCheck.CheckParameters(parameters, Loss, eps: 4e-3f, output: output);
    }

    /// <summary>Rows of [B·F, D_in] times W [D_in, K·d_h], in double.</summary>
    private static double[][] Project(float[] e, float[] weight)
    {
        int width = Heads * HeadDim;
        var rows = new double[B * F][];
        for (int row = 0; row < B * F; row++)
        {
            rows[row] = new double[width];
            for (int m = 0; m < Din; m++)
            {
                for (int c = 0; c < width; c++)
                {
                    rows[row][c] += (double)e[row * Din + m] * weight[m * width + c];
                }
            }
        }

        return rows;
    }
}
