namespace Clickwise.Tests.Kernels;

/// <summary>Seeded inputs and a tolerance check that names the first bad element and the largest error.</summary>
internal static class KernelData
{
    public static float[] Random(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = scale * (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }

    /// <summary>Asserts |actual − expected| ≤ absolute + relative·|expected| element-wise.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double absolute,
                                   double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs((double)actual[i] - expected[i]);
            double excess = error - (absolute + relative * Math.Abs(expected[i]));
            if (!(excess <= 0) && (worstAt < 0 || excess > worst || double.IsNaN(error)))
            {
                worst = double.IsNaN(error) ? double.PositiveInfinity : excess;
                worstAt = i;
            }
        }

        if (worstAt >= 0)
        {
            Assert.Fail($"{what}: element {worstAt} is {actual[worstAt]}, expected {expected[worstAt]} " +
                        $"(tolerance {absolute:G3} + {relative:G3}·|expected|).");
        }
    }
}
