using Clickwise.Inference;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary>
/// Low-rank compression and DeepLight pruning on one model (issue 12, item 8), both ways round: an AFM-compressed model pruned while
/// it fine-tunes, and a pruned model compressed with AFM. Either way the saved model holds its zeros and its sparse plan computes what
/// the dense plan does.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class LowRankPruningTests
{
    private const string Targets = "D-90% & R-80% & F-40%";

    /// <summary>How a layer's description shows the sparse planner timed it (whichever form won).</summary>
    private const string Measured = "µs batch 1 / 256 rows: dense";

    [Fact]
    public void AnAfmModelPrunedWhileItFineTunesKeepsItsMasks()
    {
        using var dir = new TempDirectory();
        (string prepared, string model) = Trained(dir);
        string afm = dir.File("afm.cwm"), pruned = dir.File("afm-pruned.cwm");
        CliRunner.Expect(0, "compress", "-m", model, "-d", prepared, "--mlp-rank", "0,6,6", "--embedding-rank", "2", "-o", afm);
        CliResult result = CliRunner.Expect(0, "train", "-d", prepared, "-m", afm, "-o", pruned, "--epochs", "2", "--batch-size", "256",
            "--sparsity", Targets, "--prune-warmup", "0", "--quiet");
        // ⌊0.9·n⌋ of each of five tensors: 2,590 of the 2,880 weights of the first layer and the four factors.
        Assert.Contains("pruned: D 89.9% of 2,880, R 79.9% of 741, F 40.0% of 2,720", result.Out);

        ModelArtifact saved = ModelArtifact.Load(pruned);
        Assert.Equal([0, 6, 6], saved.Config.MlpRanks);
        Assert.Equal(2, saved.Config.EmbeddingRank);
        foreach (string factor in new[] { "mlp.0.weight", "mlp.1.down.weight", "mlp.1.up.weight", "mlp.2.down.weight", "mlp.2.up.weight" })
        {
            Assert.Equal(0.9, ZeroFraction(saved.Tensors[factor]), 2);
        }

        Assert.Equal(0.4, ZeroFraction(saved.Tensors["embedding"]), 3); // the k-wide compressed table
        Assert.DoesNotContain(0f, saved.Tensors["embedding.proj.weight"]);
        Assert.DoesNotContain(0f, saved.Tensors["mlp.3.weight"]);
        AssertSparsePlanMatchesDense(saved);
    }

    [Fact]
    public void AfmOfAPrunedModelFactorsDenselyAndKeepsTheOtherZeros()
    {
        using var dir = new TempDirectory();
        (string prepared, string model) = Trained(dir);
        string pruned = dir.File("pruned.cwm"), afm = dir.File("pruned-afm.cwm");
        CliRunner.Expect(0, "train", "-d", prepared, "-m", model, "-o", pruned, "--epochs", "1", "--batch-size", "256",
            "--sparsity", Targets, "--prune-warmup", "0", "--quiet");
        CliResult compressed = CliRunner.Expect(0, "compress", "-m", pruned, "-d", prepared, "--mlp-rank", "0,6,6", "--embedding-rank", "2", "-o", afm);
        Assert.Matches(@"test AUC 0\.\d+ → 0\.\d+", compressed.Out);

        ModelArtifact before = ModelArtifact.Load(pruned), after = ModelArtifact.Load(afm);
        // The uncompressed first layer and the field pairs keep exactly their zeros; the factors and the k-wide rows are dense.
        Assert.Equal(before.Tensors["mlp.0.weight"], after.Tensors["mlp.0.weight"]);
        Assert.Equal(before.Tensors["fwfm.r"], after.Tensors["fwfm.r"]);
        Assert.Equal(0.9, ZeroFraction(after.Tensors["mlp.0.weight"]), 2);
        // Down = W·U_k: its only zeros are the rows of the input units pruning cut off from W entirely.
        float[] w = before.Tensors["mlp.1.weight"], down = after.Tensors["mlp.1.down.weight"];
        for (int i = 0; i < 16; i++)
        {
            bool cutOff = w.AsSpan(i * 16, 16).IndexOfAnyExcept(0f) < 0;
            Assert.Equal(cutOff ? 6 : 0, down.AsSpan(i * 6, 6).Count(0f));
        }

        Assert.DoesNotContain(0f, after.Tensors["mlp.1.up.weight"]);
        // Likewise a compressed row c = e·U_k is zero only where pruning emptied the whole row e: AFM leaves no pruned entries.
        float[] table = before.Tensors["embedding"], compressedTable = after.Tensors["embedding"];
        Assert.Equal(table.Length / 4 * 2, compressedTable.Length);
        for (int r = 0; r < table.Length / 4; r++)
        {
            bool emptied = table.AsSpan(r * 4, 4).IndexOfAnyExcept(0f) < 0;
            Assert.Equal(emptied ? 2 : 0, compressedTable.AsSpan(r * 2, 2).Count(0f));
        }

        // The pruned first layer reads the projected embeddings in its pruned form (10% of 39·4·16, timed against the sparse formats),
        // or the compressed rows through the projection folded in (39·2·16 dense weights), whichever ran faster.
        CompiledModel plan = after.Compile();
        Assert.Contains(plan.Describe(), op => (op.Contains("dense 156x16 relu", StringComparison.Ordinal) && op.Contains(Measured, StringComparison.Ordinal))
            || op.StartsWith("dense 78x16 relu", StringComparison.Ordinal));
        AssertSparsePlanMatchesDense(after);
    }

    /// <summary>A DeepFwFM (embedding 4, DNN 16×3) trained one epoch on 4,000 synthetic Criteo-profile rows, from a prepared directory.</summary>
    private static (string Prepared, string Model) Trained(TempDirectory dir)
    {
        string data = dir.File("d.tsv"), prepared = dir.File("prepared"), model = dir.File("m.cwm");
        CliRunner.Expect(0, "synth", "--rows", "4000", "--seed", "5", "-o", data);
        CliRunner.Expect(0, "prepare", "-d", data, "-o", prepared);
        CliRunner.Expect(0, "train", "-d", prepared, "-o", model, "-a", "deepfwfm", "--epochs", "1", "--embedding-dim", "4", "--hidden", "16,16,16",
            "--batch-size", "256", "--quiet");
        return (prepared, model);
    }

    /// <summary>The sparse plan's logits against the dense plan's on random rows of the model's vocabulary, in one batch and one row at a time.</summary>
    private static void AssertSparsePlanMatchesDense(ModelArtifact artifact)
    {
        CompiledModel sparse = artifact.Compile(), dense = artifact.Compile(sparse: false);
        Clickwise.Features.FeatureLayout layout = artifact.FeatureMap.Layout;
        const int rows = 300;
        int f = layout.FieldCount;
        var random = new Random(3);
        int[] ids = [.. Enumerable.Range(0, rows * f).Select(i => layout.Offsets[i % f] + random.Next(layout.Sizes[i % f]))];
        float[] expected = new float[rows], actual = new float[rows], single = new float[rows];
        dense.PredictLogits(ids, default, rows, expected, dense.CreateTape(rows));
        sparse.PredictLogits(ids, default, rows, actual, sparse.CreateTape(rows));
        InferenceTape one = sparse.CreateTape(1);
        for (int b = 0; b < rows; b++)
        {
            sparse.PredictLogits(ids.AsSpan(b * f, f), default, 1, single.AsSpan(b, 1), one);
        }

        Inference.RandomModels.AssertClose(expected, actual, "sparse plan, batch", tolerance: 1e-5f);
        Inference.RandomModels.AssertClose(expected, single, "sparse plan, batch 1", tolerance: 1e-5f);
    }

    private static double ZeroFraction(float[] values) => values.Count(v => v == 0f) / (double)values.Length;
}
