using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Training;

namespace Clickwise.Tests.Training;

/// <summary>Toy data, an exact AUC for validation, and parameter snapshots for the trainer tests.</summary>
internal static class TrainingFixtures
{
    public static FeatureLayout Layout { get; } = new(["a", "b", "c"], [5, 4, 6]);

    /// <summary>Rows whose label is a linear function of per-row weights: separable by the LR term alone.</summary>
    public static InMemoryBatchSource Separable(int rows, int seed)
    {
        var random = new Random(seed);
        float[] teacher = new float[Layout.TotalRows];
        var weights = new Random(99);
        for (int i = 0; i < teacher.Length; i++)
        {
            teacher[i] = (float)(weights.NextDouble() * 2 - 1);
        }

        int fields = Layout.FieldCount;
        int[] ids = new int[rows * fields];
        float[] labels = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            float score = 0;
            for (int f = 0; f < fields; f++)
            {
                int id = Layout.Offsets[f] + random.Next(Layout.Sizes[f]);
                ids[r * fields + f] = id;
                score += teacher[id];
            }

            labels[r] = score > 0 ? 1f : 0f;
        }

        return new InMemoryBatchSource(ids, null, labels, fields);
    }

    /// <summary>The product's own validation metrics: exact AUC (Clickwise.Metrics) and logloss.</summary>
    public static IEvaluator ExactEvaluator { get; } = new LogitEvaluator(Clickwise.Runs.Evaluation.FromLogits);

    public static float[][] Snapshot(ParameterSet parameters) => parameters.Select(p => p.Value.ToArray()).ToArray();

    public static void AssertBitIdentical(float[][] expected, ParameterSet actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            int[] a = expected[i].Select(BitConverter.SingleToInt32Bits).ToArray();
            int[] b = actual[i].Value.Select(BitConverter.SingleToInt32Bits).ToArray();
            Assert.True(a.SequenceEqual(b), $"parameter '{actual[i].Name}' differs");
        }
    }
}
