using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>AutoInt's interacting layer against eq. 5-8 in double, and its gradients.</summary>
public sealed class MultiHeadSelfAttentionTests(ITestOutputHelper output)
{
    private const int B = 3, Din = 5, Heads = 2;

    /// <summary>
    /// Head widths 3, 8 and 16 run the scalar, 256- and 512-bit kernels (where the CPU has them; CI's narrow-SIMD reruns
    /// take the others); 4, 11 and 19 fields give one partial row tile, a partial tile after a whole one, and padding
    /// query columns.
    /// </summary>
    public static TheoryData<int, int, bool, bool> Shapes() => new()
    {
        { 4, 3, true, false },
        { 4, 3, false, true },
        { 11, 8, true, true },
        { 19, 16, false, false },
        { 19, 16, true, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardIsReluOfAttendedValuesPlusResidual(int F, int HeadDim, bool residual, bool scaled)
    {
        var parameters = new ParameterSet();
        var attention = new MultiHeadSelfAttention(parameters, "att", F, Din, Heads, HeadDim, residual, scaled, new SeededRandom(1)).Prepare(B);
        float[] e = GradientCheck.RandomWeights(B * F * Din, 2);
        int width = Heads * HeadDim;
        var y = new float[B * F * width];
        attention.Forward(e, B, y);
        double[][] q = Project(e, parameters["att.query"].Value, F, width), k = Project(e, parameters["att.key"].Value, F, width);
        double[][] v = Project(e, parameters["att.value"].Value, F, width);
        double[][]? res = residual ? Project(e, parameters["att.residual"].Value, F, width) : null;
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
    [MemberData(nameof(Shapes))]
    public void GradientOfInputAndEveryParameter(int F, int HeadDim, bool residual, bool scaled)
    {
        var parameters = new ParameterSet();
        var attention = new MultiHeadSelfAttention(parameters, "att", F, Din, Heads, HeadDim, residual, scaled, new SeededRandom(3)).Prepare(B);
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
        const float eps = 4e-3f;
        GradientCheck.Check("attention.input", e, dE, Loss, SmoothIndices(e), eps, output: output);
        foreach (Parameter p in parameters)
        {
            GradientCheck.Check(p.Name, p.Value, p.Grad!, Loss, SmoothIndices(p.Value), eps, output: output);
        }

        // A central difference is only a derivative where ±eps moves no ReLU output across its kink; with many outputs
        // per sample some entries do, so those are left out, and at least half must remain.
        int[] SmoothIndices(float[] x)
        {
            bool[] Active()
            {
                Loss();
                return [.. y.Select(value => value > 0f)];
            }

            bool[] at = Active();
            var smooth = new List<int>();
            for (int i = 0; i < x.Length; i++)
            {
                float saved = x[i];
                x[i] = saved + eps;
                bool[] plus = Active();
                x[i] = saved - eps;
                bool[] minus = Active();
                x[i] = saved;
                if (plus.SequenceEqual(at) && minus.SequenceEqual(at))
                {
                    smooth.Add(i);
                }
            }

            Assert.True(smooth.Count >= 0.5 * x.Length, $"only {smooth.Count} of {x.Length} entries are away from a ReLU kink");
            return [.. smooth];
        }
    }

    /// <summary>Rows of [B·F, D_in] times W [D_in, K·d_h], in double.</summary>
    private static double[][] Project(float[] e, float[] weight, int F, int width)
    {
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
