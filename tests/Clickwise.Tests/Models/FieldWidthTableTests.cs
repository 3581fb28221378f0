using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.IO;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Tests.Inference;

namespace Clickwise.Tests.Models;

/// <summary>
/// OptEmbed's compact export (seed 004, step 4): the plan and the model file hold only the kept rows at their fields'
/// widths, serve the masked model's logits, and the first DNN layer loses the rows of the removed dimensions.
/// </summary>
public sealed class FieldWidthTableTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clickwise-fieldwidth-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Per-field widths 1..5 over the eight fields of <see cref="RandomModels.Layout"/> (D = 5).</summary>
    private static readonly int[] FieldDims = [1, 5, 3, 2, 5, 4, 1, 3];

    public static TheoryData<string, PrunedRows, int> Models()
    {
        var data = new TheoryData<string, PrunedRows, int>();
        foreach (string model in new[] { "deepfm", "dnn", "wdl", "dcn", "dcnv2", "ipnn", "fnn", "opnn", "autoint+" })
        {
            data.Add(model, PrunedRows.Zero, 5);
            data.Add(model, PrunedRows.Oov, 5);
        }

        data.Add("deepfm", PrunedRows.Oov, 16);
        data.Add("dcn", PrunedRows.Zero, 8);

        return data;
    }

    /// <summary>A retrained OptEmbed model: a fixed mask keeping about half the rows, the searched widths, every weight perturbed.</summary>
    private static CtrModel Retrained(string name, PrunedRows pruned, int dim = 5) =>
        RandomModels.Perturbed(RandomModels.Config(name, dim) with { EmbeddingKeptRows = true, EmbeddingPrunedRows = pruned, EmbeddingFieldDims = FieldDims },
            seed: 4); // the mask's entries are uniform in ±0.5: a row is kept when its entry is positive

    /// <summary>A feature map of <see cref="RandomModels.Layout"/>'s sizes (hashed fields; the last but one has no categories).</summary>
    private static FeatureMap Map() =>
        new([.. RandomModels.Layout.FieldNames.Select((name, f) =>
            new FeatureField(new FeatureSpec(name, FieldKind.Categorical, HashBuckets: RandomModels.Layout.Sizes[f] - FeatureMap.FirstCategoryId), []))], 0);

    [Theory]
    [MemberData(nameof(Models))]
    public void CompactPlansServeTheMaskedModel(string name, PrunedRows pruned, int dim)
    {
        CtrModel model = Retrained(name, pruned, dim);
        Batch batch = RandomModels.Batch(60, withValues: true);
        float[] expected = RandomModels.ForwardLogits(model, batch);
        foreach (bool sparse in new[] { true, false })
        {
            CompiledModel compiled = CompiledModel.Compile(model, sparse: sparse);
            Assert.Contains(compiled.Describe(), op => op.StartsWith("field-width embedding gather", StringComparison.Ordinal));
            float[] served = new float[batch.Count];
            compiled.PredictLogits(batch.IdsInUse, batch.ValuesInUse, batch.Count, served, compiled.CreateTape(batch.Count));
            RandomModels.AssertClose(expected, served, $"{name} {pruned} sparse {sparse}", tolerance: 1e-6f);
            float[] one = new float[1];
            InferenceTape tape = compiled.CreateTape(1);
            for (int b = 0; b < 5; b++)
            {
                compiled.PredictLogits(batch.IdsInUse.Slice(b * batch.FieldCount, batch.FieldCount), batch.ValuesInUse.Slice(b * batch.FieldCount, batch.FieldCount),
                    1, one, tape);
                RandomModels.AssertClose(expected.AsSpan(b, 1), one, $"{name} {pruned} row {b}", tolerance: 1e-6f);
            }
        }
    }

    /// <summary>Models whose DNN reads the concatenated embeddings drop the first layer's rows of the removed dimensions.</summary>
    [Theory]
    [InlineData("deepfm")]
    [InlineData("dnn")]
    [InlineData("wdl")]
    [InlineData("dcn")]
    [InlineData("dcnv2")]
    [InlineData("autoint+")]
    public void TheFirstDnnLayerReadsOnlyTheKeptDimensions(string name)
    {
        CompiledModel compiled = CompiledModel.Compile(Retrained(name, PrunedRows.Zero), sparse: false);
        Assert.Contains(compiled.Describe(), op => op.StartsWith($"pack field widths F=8 D=5 into {FieldDims.Sum()}", StringComparison.Ordinal));
        Assert.Contains(compiled.Describe(), op => op.StartsWith($"dense {FieldDims.Sum()}x13 relu", StringComparison.Ordinal));
    }

    /// <summary>
    /// FNN's first layer reads each field's first-order weight before its kept dimensions, PNN's the kept dimensions before
    /// the products (28 pairs of 8 fields): both drop the rows of the removed dimensions and keep the rest.
    /// </summary>
    [Theory]
    [InlineData("fnn", " lead=1", 8, 0)]
    [InlineData("ipnn", "", 0, 28)]
    [InlineData("opnn", "", 0, 28)]
    public void LeadAndProductColumnsStayBesideThePackedDimensions(string name, string lead, int leads, int products)
    {
        CompiledModel compiled = CompiledModel.Compile(Retrained(name, PrunedRows.Zero), sparse: false);
        int packed = FieldDims.Sum() + leads;
        string of = products > 0 ? $" of {packed + products}" : "";
        Assert.Contains(compiled.Describe(), op => op == $"pack field widths F=8 D=5{lead} into {packed}{of}");
        Assert.Contains(compiled.Describe(), op => op.StartsWith($"dense {packed + products}x13 relu", StringComparison.Ordinal));
    }

    /// <summary>
    /// Every row reads what the masked model serves: kept rows cut to their width, pruned ones zeros or the OOV row (D = 8
    /// and 16 take the vector path, which reads whole vectors past a row's width and masks them).
    /// </summary>
    [Theory]
    [InlineData(PrunedRows.Zero, 5)]
    [InlineData(PrunedRows.Oov, 5)]
    [InlineData(PrunedRows.Zero, 8)]
    [InlineData(PrunedRows.Oov, 16)]
    public void RowsReadWhatTheMaskServes(PrunedRows pruned, int dim)
    {
        CtrModel model = Retrained("deepfm", pruned, dim);
        var tensors = model.Parameters.ToDictionary(p => p.Name, p => p.Value);
        RowMask mask = RowMask.Of(model.Config, RandomModels.Layout, tensors)!;
        FieldWidthTable table = FieldWidthTable.FromMask(mask);
        Assert.Equal(mask.KeptRowsPerField(), table.KeptRows);
        Assert.InRange(table.KeptRows.Sum(), 10, RandomModels.Layout.TotalRows - 10);
        float[] dense = tensors["embedding"];
        Span<float> row = stackalloc float[dim];
        for (int f = 0; f < 8; f++)
        {
            for (int r = RandomModels.Layout.Offsets[f]; r < RandomModels.Layout.Offsets[f] + RandomModels.Layout.Sizes[f]; r++)
            {
                int source = mask.Keeps(r, f) ? r : pruned == PrunedRows.Oov ? mask.OovRow(f) : -1;
                table.CopyRow(r, f, 2f, row);
                for (int d = 0; d < dim; d++)
                {
                    float want = source < 0 || d >= FieldDims[f] ? 0f : dense[(source * dim) + d] * 2f;
                    Assert.Equal(want, row[d]);
                }
            }
        }

        long values = Enumerable.Range(0, 8).Sum(f => (long)table.KeptRows[f] * FieldDims[f]);
        Assert.Equal((values * 4) + (((RandomModels.Layout.TotalRows + 63) / 64) * 8), table.StoredBytes);
    }

    /// <summary>
    /// The model file holds the compact table: its embedding bytes are at most (1 − sparsity) of the dense table's plus 5%, the
    /// file is smaller by what was removed, and the loaded model serves the same logits and trains from the same weights.
    /// </summary>
    [Theory]
    [InlineData("deepfm", PrunedRows.Zero)]
    [InlineData("dcn", PrunedRows.Oov)]
    [InlineData("ipnn", PrunedRows.Zero)]
    [InlineData("fnn", PrunedRows.Oov)]
    public void TheModelFileHoldsTheCompactTable(string name, PrunedRows pruned)
    {
        CtrModel model = Retrained(name, pruned);
        FeatureMap map = Map();
        string compact = Path.Combine(_directory, "compact.cwm");
        ModelArtifact.Save(compact, model, map);

        ModelFileContent content = ModelFileReader.Read(compact);
        ModelTensor table = content.Tensors.Single(t => t.Name == "embedding");
        ModelTensor kept = content.Tensors.Single(t => t.Name == "embedding.kept");
        Assert.Equal(TensorDType.Int64, kept.DType);
        RowMask mask = RowMask.Of(model.Config, RandomModels.Layout, model.Parameters.ToDictionary(p => p.Name, p => p.Value))!;
        long denseBytes = RandomModels.Layout.TotalRows * 5L * sizeof(float);
        long storedBytes = (table.Float32Data.Length * 4L) + (kept.Int64Data.Length * 8L);
        Assert.True(storedBytes <= ((1 - mask.Sparsity) * denseBytes) + (0.05 * denseBytes),
            $"{storedBytes} bytes for sparsity {mask.Sparsity:F3} of {denseBytes}");

        ModelArtifact loaded = ModelArtifact.Load(compact);
        Assert.False(loaded.IsPruned); // the expanded table's zeros are the mask's, which the compact plan leaves out anyway
        Batch batch = RandomModels.Batch(40, withValues: true);
        float[] expected = RandomModels.ForwardLogits(model, batch);
        CtrModel reloaded = loaded.Instantiate(200);
        Assert.Equal(expected, RandomModels.ForwardLogits(reloaded, batch)); // bit for bit: the masked model never reads what was dropped
        CompiledModel compiled = loaded.Compile();
        float[] served = new float[batch.Count];
        compiled.PredictLogits(batch.IdsInUse, batch.ValuesInUse, batch.Count, served, compiled.CreateTape(batch.Count));
        RandomModels.AssertClose(expected, served, $"{name} loaded", tolerance: 1e-6f);
        Assert.Equal(mask.KeptRowsPerField(), RowMask.Of(loaded.Config, RandomModels.Layout, loaded.Tensors)!.KeptRowsPerField());
    }

    [Fact]
    public void ATruncatedCompactTableIsRefused()
    {
        CtrModel model = Retrained("deepfm", PrunedRows.Zero);
        FeatureMap map = Map();
        string path = Path.Combine(_directory, "compact.cwm");
        ModelArtifact.Save(path, model, map);
        ModelFileContent content = ModelFileReader.Read(path);
        string broken = Path.Combine(_directory, "broken.cwm");
        ModelFileWriter.Write(broken, content with
        {
            Tensors = [.. content.Tensors.Select(t => t.Name == "embedding"
                ? ModelTensor.Float32(t.Name, t.Role, [t.Float32Data.Length - 1], t.Float32Data[..^1]) : t)],
        });
        Assert.Contains("compact embedding table", Assert.Throws<ModelFormatException>(() => ModelArtifact.Load(broken)).Message);
    }
}
