using System.Text.RegularExpressions;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Cli;

/// <summary><c>clickwise compress</c>: from a prepared directory, exact at full rank, smaller below it, refusing text input.</summary>
[Collection(CliCollection.Name)]
public sealed class CompressTests
{
    [Fact]
    public void FullRankKeepsTheAucAndALowerRankShrinksTheModel()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), prepared = dir.File("prepared"), model = dir.File("m.cwm");
        TrainDeepFM(data, prepared, model, rows: 4000, seed: 5, "--hidden", "16,16,16");

        CliResult full = CliRunner.Expect(0, "compress", "-m", model, "-d", prepared, "--mlp-rank", "0,16,16", "--inner-activation", "none",
            "--embedding-rank", "4", "-o", dir.File("full.cwm"));
        Match auc = Regex.Match(full.Out, @"test AUC (0\.\d+) → (0\.\d+)");
        Assert.True(auc.Success, full.Out);
        Assert.Equal(auc.Groups[1].Value, auc.Groups[2].Value); // k = width without the ReLU: the same model
        Assert.Contains("mlp.1", full.Out);
        Assert.Contains("embedding.", full.Out);

        CliResult small = CliRunner.Expect(0, "compress", "-m", model, "-d", prepared, "--method", "svd", "--embedding-rank", "1", "-o", dir.File("small.cwm"));
        Assert.Matches(@"parameters [\d,]+ → [\d,]+ \([\d.]+× fewer\)", small.Out);
        Assert.True(ModelArtifact.Load(dir.File("small.cwm")).ParameterCount < ModelArtifact.Load(model).ParameterCount);
        Assert.Equal(1, ModelArtifact.Load(dir.File("small.cwm")).Config.EmbeddingRank);

        Assert.Contains("is not a prepared directory", CliRunner.Expect(2, "compress", "-m", model, "-d", data, "--embedding-rank", "1", "-o",
            dir.File("x.cwm")).Error);
        Assert.Contains("nothing to compress", CliRunner.Expect(2, "compress", "-m", model, "-d", prepared, "-o", dir.File("x.cwm")).Error);
    }

    [Fact]
    public void FineTuningACompressedModelTakesItsOwnDropout()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), prepared = dir.File("prepared"), model = dir.File("m.cwm"), compressed = dir.File("c.cwm");
        TrainDeepFM(data, prepared, model, rows: 3000, seed: 6, "--hidden", "8,8", "--dropout", "0.3");
        CliRunner.Expect(0, "compress", "-m", model, "-d", prepared, "--embedding-rank", "2", "-o", compressed);

        // Seed 002 fine-tunes the embedding stage without dropout: --dropout with -m sets the fine-tune's and the file's.
        CliRunner.Expect(0, "train", "-d", prepared, "-m", compressed, "--dropout", "0", "--epochs", "1", "-o", dir.File("t0.cwm"), "--quiet");
        ModelArtifact tuned = ModelArtifact.Load(dir.File("t0.cwm"));
        Assert.Equal(0f, tuned.Config.Dropout);
        Assert.Equal(2, tuned.Config.EmbeddingRank);
        CliRunner.Expect(0, "train", "-d", prepared, "-m", compressed, "--epochs", "1", "-o", dir.File("t1.cwm"), "--quiet");
        Assert.Equal(0.3f, ModelArtifact.Load(dir.File("t1.cwm")).Config.Dropout);
    }

    [Fact]
    public void TensorTrainFieldsAreExactAtFullRankAndInspectShowsThem()
    {
        using var dir = new TempDirectory();
        string data = dir.File("d.tsv"), prepared = dir.File("prepared"), model = dir.File("m.cwm"), trains = dir.File("tt.cwm");
        TrainDeepFM(data, prepared, model, rows: 4000, seed: 6, "--hidden", "16,16");

        // A rank above every cut's full TT rank: the trains hold the very rows, so the metrics do not move.
        CliResult full = CliRunner.Expect(0, "compress", "-m", model, "-d", prepared, "--method", "tt", "--tt-rank", "4096", "--tt-fields", "3", "-o", trains);
        Match auc = Regex.Match(full.Out, @"test AUC (0\.\d+) → (0\.\d+)");
        Assert.True(auc.Success, full.Out);
        Assert.Equal(auc.Groups[1].Value, auc.Groups[2].Value);
        Assert.Equal(3, Regex.Matches(full.Out, "tensor train, first cut; relative error 0.0000").Count);
        Assert.Equal((4096, 3), (ModelArtifact.Load(trains).Config.EmbeddingTtRank, ModelArtifact.Load(trains).Config.EmbeddingTtFields));
        Assert.False(ModelArtifact.Load(trains).IsPruned); // the table's zero placeholder row is no pruning

        CliResult inspect = CliRunner.Expect(0, "inspect", "-m", trains);
        Assert.Equal(3, Regex.Matches(inspect.Out, @"tensor train: \d+×\d+×\d+ rows, 1×2×2 dims, ranks 1,\d+,\d+,1").Count);
        Assert.Contains("tensor-train embedding gather", inspect.Out);
        using (var json = System.Text.Json.JsonDocument.Parse(CliRunner.Expect(0, "inspect", "-m", trains, "--json").Out))
        {
            Assert.Equal(3, json.RootElement.GetProperty("tensor_train_fields").GetArrayLength());
        }

        Assert.Contains("--mlp-rank and --embedding-rank are afm/svd's",
            CliRunner.Expect(2, "compress", "-m", model, "-d", prepared, "--method", "tt", "--embedding-rank", "2", "-o", dir.File("x.cwm")).Error);
    }

    /// <summary>A one-epoch DeepFM (embedding 4) on <paramref name="rows"/> synthetic rows, prepared first: what each test compresses.</summary>
    private static void TrainDeepFM(string data, string prepared, string model, int rows, int seed, params string[] options)
    {
        CliRunner.Expect(0, "synth", "--rows", $"{rows}", "--seed", $"{seed}", "-o", data);
        CliRunner.Expect(0, "prepare", "-d", data, "-o", prepared);
        CliRunner.Expect(0, ["train", "-d", prepared, "-o", model, "-a", "deepfm", "--epochs", "1", "--embedding-dim", "4", "--batch-size", "256",
            "--quiet", .. options]);
    }
}
