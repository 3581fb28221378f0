using System.Text.Json;
using Clickwise.Kernels;
using Clickwise.Layers;

namespace Clickwise.Tests.Layers;

/// <summary>
/// The tensor-train field against PyTorch (tools/reference/golden_tt_embedding.py), which re-materialises the whole table
/// with one einsum and differentiates through autograd: the batch's scaled rows and the cores' gradients.
/// </summary>
public sealed class TensorTrainEmbeddingGoldenTests(ITestOutputHelper output)
{
    [Fact]
    public void RowsAndCoreGradientsMatchPyTorch()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "lowrank", "tt-embedding.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = doc.RootElement;
        int vocabulary = root.GetProperty("vocabulary").GetInt32();
        var shape = new TensorTrainShape(Ints(root, "row_factors"), Ints(root, "dim_factors"), Ints(root, "ranks"));
        TensorTrainShape automatic = TensorTrainShape.For(vocabulary, shape.Dim, rank: 3);
        Assert.Equal(shape.RowFactors, automatic.RowFactors); // the fixture's shape is the automatic rule's
        Assert.Equal(shape.DimFactors, automatic.DimFactors);
        Assert.Equal(shape.Ranks, automatic.Ranks);

        int[] ids = Ints(root, "ids");
        float[] values = Floats(root, "values"), r = Floats(root, "r"), cores = Floats(root, "cores");
        int batch = ids.Length;
        var rows = new float[batch * shape.Dim];
        var dCores = new float[shape.Length];
        var scratch = new float[shape.BackwardScratchLength];
        TensorTrainEmbedding.Forward(cores, shape, ids, values, hasValues: true, batch, fieldCount: 1, field: 0, firstRow: 0, rows, scratch);
        TensorTrainEmbedding.Backward(cores, shape, ids, values, hasValues: true, r, batch, fieldCount: 1, field: 0, firstRow: 0, dCores, scratch);
        AssertClose("rows", Floats(root, "rows"), rows);
        AssertClose("core gradients", Floats(root, "core_grads"), dCores);
    }

    private void AssertClose(string what, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / Math.Max(1.0, Math.Abs(expected[i])));
        }

        output.WriteLine($"{what}: max difference {worst:E2} over {expected.Length} values");
        Assert.True(worst <= 1e-5, $"{what}: max difference {worst:E2}");
        Assert.Contains(expected, v => v != 0f);
    }

    private static int[] Ints(JsonElement root, string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetInt32())];

    private static float[] Floats(JsonElement root, string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble())];
}
