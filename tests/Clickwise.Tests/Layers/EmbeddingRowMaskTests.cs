using System.Text.Json;
using Clickwise.Layers;
using static Clickwise.Tests.Layers.GoldenArrays;

namespace Clickwise.Tests.Layers;

/// <summary>
/// OptEmbed's masked embedding (seed 004): S and H at the paper's breakpoints, the backward against a hand derivation,
/// a central-difference check where the mask is locally constant, and the forward/backward against PyTorch autograd
/// through the reference code's BinaryStep (tools/reference/golden_optembed_mask.py).
/// </summary>
public sealed class EmbeddingRowMaskTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0f, 0f, 2f)]
    [InlineData(0.2f, 1f, 1.2f)]
    [InlineData(-0.2f, 0f, 1.2f)]
    [InlineData(0.4f, 1f, 0.4f)]
    [InlineData(-0.4f, 0f, 0.4f)]
    [InlineData(0.7f, 1f, 0.4f)]
    [InlineData(-0.7f, 0f, 0.4f)]
    [InlineData(1f, 1f, 0.4f)]
    [InlineData(-1f, 0f, 0.4f)]
    [InlineData(1.5f, 1f, 0f)]
    [InlineData(-1.5f, 0f, 0f)]
    public void StepAndEstimatorAtThePapersBreakpoints(float x, float step, float estimator)
    {
        Assert.Equal(step, ThresholdStep.Step(x));
        Assert.Equal(estimator, ThresholdStep.Estimator(x), 6);
    }

    /// <summary>
    /// One field, two lookups of D = 3, worked by hand. Row 0 = (0.5, −0.25, 0), ‖·‖₁ = 0.75, t = 0.5: margin 0.25, kept,
    /// H = 2 − 4·0.25 = 1; width 2, x = 2, g = (1, 2, 3): out = (1, −0.5, 0); γ = 1·0.5 + 2·(−0.25) + 0 = 0; so dv = (1, 2, 0)
    /// and dt gets nothing. Row 1 = (0.2, 0.1, −0.1), ‖·‖₁ = 0.4, margin −0.1: pruned, H = 1.6; width 3, x = 1,
    /// g = (1, −1, 2): γ = 0.2 − 0.1 − 0.2 = −0.1, so dv = γ·H·sign v = (−0.16, −0.16, 0.16) and dt −= x·γ·H = +0.16.
    /// </summary>
    [Fact]
    public void BackwardEqualsAHandDerivation()
    {
        float[] table = [0.5f, -0.25f, 0f, 0.2f, 0.1f, -0.1f];
        int[] rows = [0, 1];
        float[] values = [2f, 1f], thresholds = [0.5f];
        int[] kept = [2, 3];
        float[] gathered = [1f, -0.5f, 0f, 0.2f, 0.1f, -0.1f]; // x·v
        var margins = new float[2];
        EmbeddingRowMask.Margins(table, rows, thresholds, perFeature: false, fieldCount: 1, dim: 3, margins);
        EmbeddingRowMask.Forward(margins, dim: 3, kept, gathered);
        Assert.Equal([1f, -0.5f, 0f, 0f, 0f, 0f], gathered);
        Assert.Equal(0.25f, margins[0], 6);
        Assert.Equal(-0.1f, margins[1], 6);

        float[] dOut = [1f, 2f, 3f, 1f, -1f, 2f];
        var dThresholds = new float[1];
        EmbeddingRowMask.Backward(table, rows, values, hasValues: true, margins, perFeature: false, fieldCount: 1, dim: 3, kept, dOut, dThresholds);
        // The scatter multiplies by x: dv(row 0) = 2·(1, 2, 0).
        AssertNear([1f, 2f, 0f, -0.16f, -0.16f, 0.16f], dOut);
        Assert.Equal(0.16f, dThresholds[0], 5);
    }

    /// <summary>
    /// Where every margin is beyond ±1 the estimator is 0 and the mask is locally constant, so the backward is the exact
    /// gradient of the masked, width-truncated, value-scaled lookup: a central difference sees the same thing.
    /// </summary>
    [Fact]
    public void BackwardIsTheExactGradientWhereTheMaskIsLocallyConstant()
    {
        const int fields = 2, dim = 5, rowsPerField = 3, batch = 4;
        var random = new SeededRandom(41);
        float[] table = new float[fields * rowsPerField * dim];
        random.FillUniform(table, 1.0);
        int[] ids = new int[batch * fields];
        int[] kept = new int[ids.Length];
        float[] values = new float[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = (i % fields * rowsPerField) + (int)(random.NextUInt64() % rowsPerField);
            kept[i] = 1 + (int)(random.NextUInt64() % dim);
            values[i] = (float)random.NextUniform(0.5, 1.5);
        }

        // Field 0 keeps everything (t far below every norm), field 1 prunes everything (t far above).
        float[] thresholds = [-2f, 10f];
        float[] r = GradientCheck.RandomWeights(ids.Length * dim, 5);
        double Loss()
        {
            var output = new float[ids.Length * dim];
            Embedding.Forward(table, ids, values, hasValues: true, batch, fields, dim, output);
            var m = new float[ids.Length];
            EmbeddingRowMask.Margins(table, ids, thresholds, perFeature: false, fields, dim, m);
            EmbeddingRowMask.Forward(m, dim, kept, output);
            return GradientCheck.Dot(output, r);
        }

        var gathered = new float[ids.Length * dim];
        var margins = new float[ids.Length];
        Embedding.Forward(table, ids, values, hasValues: true, batch, fields, dim, gathered);
        EmbeddingRowMask.Margins(table, ids, thresholds, perFeature: false, fields, dim, margins);
        EmbeddingRowMask.Forward(margins, dim, kept, gathered);
        Assert.All(margins, m => Assert.True(Math.Abs(m) > 1f));
        float[] dOut = (float[])r.Clone();
        var dThresholds = new float[fields];
        EmbeddingRowMask.Backward(table, ids, values, hasValues: true, margins, perFeature: false, fields, dim, kept, dOut, dThresholds);
        var tableGrad = new RowGradient(table.Length / dim, dim, ids.Length);
        Embedding.Backward(table, ids, values, hasValues: true, dOut, batch, fields, dim, tableGrad, default);
        float[] analytic = GradientCheck.Densify(tableGrad, table.Length);

        GradientCheck.Check("masked embedding rows", table, analytic, Loss, output: output);
        Assert.Equal([0f, 0f], dThresholds);
        Assert.All(analytic[(rowsPerField * dim)..], g => Assert.Equal(0f, g)); // field 1 is pruned: nothing reaches its rows
    }

    [Theory]
    [InlineData("field")]
    [InlineData("feature")]
    public void ForwardAndBackwardMatchPyTorch(string scope)
    {
        using JsonDocument doc = GoldenArrays.Load("optembed", "mask.json");
        JsonElement root = doc.RootElement, c = root.GetProperty(scope);
        int dim = root.GetProperty("dim").GetInt32();
        int fields = root.GetProperty("field_sizes").GetArrayLength();
        int[] ids = Ints(root, "ids"), kept = Ints(root, "kept");
        float[] table = Floats(root, "table"), values = Floats(root, "values"), thresholds = Floats(c, "thresholds");
        int batch = ids.Length / fields;
        bool perFeature = scope == "feature";

        var outputs = new float[ids.Length * dim];
        var margins = new float[ids.Length];
        Embedding.Forward(table, ids, values, hasValues: true, batch, fields, dim, outputs);
        EmbeddingRowMask.Margins(table, ids, thresholds, perFeature, fields, dim, margins);
        EmbeddingRowMask.Forward(margins, dim, kept, outputs);
        float[] dOut = Floats(root, "r");
        var dThresholds = new float[thresholds.Length];
        EmbeddingRowMask.Backward(table, ids, values, hasValues: true, margins, perFeature, fields, dim, kept, dOut, dThresholds);
        var tableGrad = new RowGradient(table.Length / dim, dim, ids.Length);
        Embedding.Backward(table, ids, values, hasValues: true, dOut, batch, fields, dim, tableGrad, default);

        Assert.Contains(margins, m => m <= 0f); // pruned lookups
        Assert.Contains(margins, m => Math.Abs(m) is > 0.4f and <= 1f); // the estimator's flat piece
        GoldenArrays.AssertClose(output, $"{scope} outputs", Floats(c, "out"), outputs);
        GoldenArrays.AssertClose(output, $"{scope} table gradient", Floats(c, "table_grad"), GradientCheck.Densify(tableGrad, table.Length));
        GoldenArrays.AssertClose(output, $"{scope} threshold gradient", Floats(c, "threshold_grad"), dThresholds);
    }

    private static void AssertNear(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f, $"[{i}] expected {expected[i]}, got {actual[i]}");
        }
    }
}
