using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>
/// Central-difference gradient check. The scalar under test is usually L = Σ out ⊙ r with a fixed random r, so
/// ∂L/∂out = r and one backward pass gives the analytic gradient of every input and parameter.
/// The loss is summed in double; the perturbed tensor stays float32, so eps is kept large (the layers are
/// polynomial or piecewise linear, for which central differences are exact up to rounding).
/// </summary>
internal static class GradientCheck
{
    /// <summary>Fills r with uniform values in [-1, 1) from a fixed seed.</summary>
    public static float[] RandomWeights(int length, long seed)
    {
        var random = new SeededRandom(seed);
        var r = new float[length];
        random.FillUniform(r, 1.0);
        return r;
    }

    /// <summary>Σ out[i]·r[i] in double.</summary>
    public static double Dot(ReadOnlySpan<float> output, ReadOnlySpan<float> r)
    {
        double s = 0;
        for (int i = 0; i < output.Length; i++)
        {
            s += (double)output[i] * r[i];
        }

        return s;
    }

    /// <summary>A row-sparse gradient as a dense [rows, width] array (untouched rows are zero).</summary>
    public static float[] Densify(Parameter parameter)
    {
        if (!parameter.IsRowSparse)
        {
            return parameter.Grad!;
        }

        return Densify(parameter.RowGrad!, parameter.Length);
    }

    /// <summary>A row gradient as a dense array of <paramref name="length"/> floats (untouched rows are zero).</summary>
    public static float[] Densify(RowGradient g, int length)
    {
        var dense = new float[length];
        for (int s = 0; s < g.Count; s++)
        {
            g.SlotValues(s).CopyTo(dense.AsSpan(g.Rows[s] * g.Width, g.Width));
        }

        return dense;
    }

    /// <summary>
    /// Compares <paramref name="analytic"/>[i] with (L(x + eps·e_i) − L(x − eps·e_i)) / 2eps for every index in
    /// <paramref name="indices"/> (all of x when null) and asserts the largest difference, relative to the largest
    /// analytic magnitude of the checked entries, is within <paramref name="tolerance"/>.
    /// </summary>
    /// <returns>The relative max difference, for logging.</returns>
    public static double Check(string name, float[] x, ReadOnlySpan<float> analytic, Func<double> loss,
                               IEnumerable<int>? indices = null, float eps = 1e-2f, double tolerance = 2e-3,
                               ITestOutputHelper? output = null)
    {
        double maxDiff = 0, maxAnalytic = 0;
        int checkedCount = 0;
        foreach (int i in indices ?? Enumerable.Range(0, x.Length))
        {
            float saved = x[i];
            x[i] = saved + eps;
            double plus = loss();
            x[i] = saved - eps;
            double minus = loss();
            x[i] = saved;
            double numeric = (plus - minus) / (2.0 * eps);
            maxDiff = Math.Max(maxDiff, Math.Abs(numeric - analytic[i]));
            maxAnalytic = Math.Max(maxAnalytic, Math.Abs(analytic[i]));
            checkedCount++;
        }

        Assert.True(checkedCount > 0, $"{name}: no entries checked");
        Assert.True(maxAnalytic > 1e-6, $"{name}: analytic gradient is all zero, the check would prove nothing");
        double relative = maxDiff / maxAnalytic;
        output?.WriteLine($"{name}: {checkedCount} entries, max |num - analytic| = {maxDiff:E3} (relative {relative:E3})");
        Assert.True(relative <= tolerance,
            $"{name}: max |numeric - analytic| = {maxDiff:E3}, relative {relative:E3} > {tolerance:E1}");
        return relative;
    }

    /// <summary>Checks every dense parameter of a layer that owns its parameters.</summary>
    public static void CheckParameters(IEnumerable<Parameter> parameters, Func<double> loss, float eps = 1e-2f,
                                       ITestOutputHelper? output = null)
    {
        foreach (Parameter p in parameters)
        {
            Check(p.Name, p.Value, p.Grad!, loss, eps: eps, output: output);
        }
    }

    /// <summary>Gives every bias non-zero values so that its effect (and a wrong gradient) is visible; layers start them at zero.</summary>
    public static ParameterSet RandomizeBiases(ParameterSet parameters, double bound = 0.3)
    {
        var random = new SeededRandom(17);
        foreach (Parameter p in parameters.Where(p => p.Role == ParameterRole.Bias))
        {
            random.FillUniform(p.Value, bound);
        }

        return parameters;
    }
}
