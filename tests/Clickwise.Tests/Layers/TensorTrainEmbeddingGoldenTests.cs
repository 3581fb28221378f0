using System.Text.Json;
using Clickwise.Kernels;
using Clickwise.Layers;
using static Clickwise.Tests.Layers.GoldenArrays;

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
        using JsonDocument doc = GoldenArrays.Load("lowrank", "tt-embedding.json");
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
        GoldenArrays.AssertClose(output, "rows", Floats(root, "rows"), rows);
        GoldenArrays.AssertClose(output, "core gradients", Floats(root, "core_grads"), dCores);
    }
}
