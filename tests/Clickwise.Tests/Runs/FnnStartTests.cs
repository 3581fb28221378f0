using Clickwise.Compression.EmbeddingSearch;
using Clickwise.Data.Pipeline;
using Clickwise.Features;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Runs;

/// <summary>
/// FNN's two ways to start from an FM on 20k synthetic Criteo rows: the train run's pre-training phase
/// (<c>fm_pretrain_epochs</c>), and a saved FM (<c>--init</c> across architectures, <see cref="ModelTransfer"/>).
/// </summary>
public sealed class FnnStartTests : IClassFixture<FnnStartTests.Runs>
{
    private readonly Runs _runs;
    private readonly ITestOutputHelper _output;

    public FnnStartTests(Runs runs, ITestOutputHelper output)
    {
        _runs = runs;
        _output = output;
    }

    /// <summary>The data and one FNN run with a one-epoch FM pre-training, shared by the tests.</summary>
    public sealed class Runs : IDisposable
    {
        public Runs()
        {
            RunData.Synthesize(DataPath, rows: 20_000, seed: 11);
            TrainRequest request = RunData.Request(DataPath, Directory.File("fnn"), "fnn", epochs: 1);
            // 16k training rows: small batches and a larger step let one FM epoch learn something.
            Request = request with { Training = request.Training with { FmPretrainEpochs = 1, BatchSize = 256, LearningRate = 1e-2 } };
            Fnn = TrainRun.Execute(Request);
        }

        internal TempDirectory Directory { get; } = new();

        public string DataPath => Directory.File("synthetic.tsv");

        public TrainRequest Request { get; }

        public TrainReport Fnn { get; }

        public PreparedDataset OpenCache() => DatasetBuilder.Open(Path.Combine(Request.WorkDir, "cache"), Request.Preprocessing);

        public void Dispose() => Directory.Dispose();
    }

    [Fact]
    public void TheRunPreTrainsAnFMThenTrainsTheFnnFromIt()
    {
        TrainReport report = _runs.Fnn;
        _output.WriteLine($"fm pre-training valid AUC {report.FmPretraining!.Epochs[0].ValidAuc:F4}; fnn test AUC {report.Test.Auc:F4}; {report.Start}");
        Assert.Single(report.FmPretraining.Epochs);
        Assert.InRange(report.FmPretraining.Epochs[0].ValidAuc, 0.65, 0.85);
        Assert.Equal(["embedding", "first_order", "bias"], report.Start!.Copied);
        Assert.All(report.Start.Fresh, name => Assert.StartsWith("mlp.", name, StringComparison.Ordinal));
        Assert.Single(report.Training.Epochs);
        Assert.InRange(report.Test.Auc, 0.65, 0.85);

        string dir = Path.Combine(_runs.Request.WorkDir, "fm-pretrain");
        Assert.Equal("fm", ModelArtifact.Load(Path.Combine(dir, "fm.cwm")).Config.Name);
        Assert.Single(File.ReadAllLines(Path.Combine(dir, "metrics.jsonl")));
        Assert.Single(File.ReadAllLines(Path.Combine(_runs.Request.WorkDir, "metrics.jsonl"))); // the FNN's own epochs only
        Assert.Equal("fnn", ModelArtifact.Load(report.ModelPath).Config.Name);
    }

    [Fact]
    public void AfterPreTrainingTheFnnHoldsTheTrainedFMsTablesAndAFreshDnn()
    {
        using PreparedDataset data = _runs.OpenCache();
        TrainRequest request = _runs.Request with { WorkDir = _runs.Directory.File("pretrain-only") };
        CtrModel fnn = ModelRegistry.Create(request.Model, data.Map.Layout).Prepared(request.Training.BatchSize);
        float[] initialEmbedding = (float[])fnn.Parameters["embedding"].Value.Clone();
        float[] initialMlp = (float[])fnn.Parameters["mlp.0.weight"].Value.Clone();

        TrainRun.PretrainFM(request, data, fnn, TestContext.Current.CancellationToken);

        ModelArtifact fm = ModelArtifact.Load(Path.Combine(request.WorkDir, "fm-pretrain", "fm.cwm"));
        Assert.Equal(fm.Tensors["embedding"], fnn.Parameters["embedding"].Value);
        Assert.Equal(fm.Tensors["first_order"], fnn.Parameters["first_order"].Value);
        Assert.Equal(fm.Tensors["bias"], fnn.Parameters["bias"].Value);
        Assert.NotEqual(initialEmbedding, fnn.Parameters["embedding"].Value); // the FM trained: the copy is not the FNN's own start
        Assert.Equal(initialMlp, fnn.Parameters["mlp.0.weight"].Value);
    }

    [Fact]
    public void AnFnnStartsFromASavedFM()
    {
        using PreparedDataset data = _runs.OpenCache();
        string fmPath = _runs.Directory.File("saved-fm.cwm");
        CtrModel saved = RunData.RandomModel("fm", data.Map.Layout, 1); // ±0.3 weights, embedding dim 6: nothing like a fresh FNN
        ModelArtifact.Save(fmPath, saved, data.Map);

        string workDir = _runs.Directory.File("from-saved");
        TrainRequest request = _runs.Request with
        {
            Model = _runs.Request.Model with { EmbeddingDim = 6 },
            Training = _runs.Request.Training with { LearningRate = 1e-9 }, // one epoch barely moves the start
            InitFrom = fmPath,
            InitTransfer = true,
            WorkDir = workDir,
            ModelPath = Path.Combine(workDir, "fnn.cwm"),
        };
        TrainReport report = TrainRun.Execute(request, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(report.FmPretraining); // the saved FM replaces the pre-training phase
        Assert.Equal("fnn from fm: embedding, first_order, bias copied; mlp.* fresh", report.Start!.ToString());
        ModelArtifact fnn = ModelArtifact.Load(report.ModelPath);
        Assert.Equal("fnn", fnn.Config.Name);
        foreach (string name in new[] { "embedding", "first_order", "bias" })
        {
            float[] expected = saved.Parameters[name].Value, actual = fnn.Tensors[name];
            Assert.Equal(expected.Length, actual.Length);
            Assert.True(expected.Zip(actual).Max(p => MathF.Abs(p.First - p.Second)) < 1e-5f, $"{name} moved away from the saved FM's");
        }
    }

    /// <summary>
    /// OptEmbed's rewind (issue 13): an FNN supernet starts from its FM pre-training, so its retrain must start there too —
    /// the saved start's tables are the pre-trained FM's, and the retrained model's are those, not its seed's fresh draw.
    /// </summary>
    [Fact]
    public void AnOptEmbedRetrainRewindsToTheFnnSupernetsPreTrainedStart()
    {
        string workDir = _runs.Directory.File("supernet");
        string startPath = Path.Combine(workDir, "start.cwm");
        TrainRequest request = _runs.Request with
        {
            Model = _runs.Request.Model with { EmbeddingThreshold = RowThreshold.Field, EmbeddingDimSampling = true },
            Training = _runs.Request.Training with { ThresholdLr = 1e-2, ThresholdPenalty = 5e-2 },
            WorkDir = workDir,
            ModelPath = Path.Combine(workDir, "supernet.cwm"),
            StartPath = startPath,
        };
        TrainReport report = TrainRun.Execute(request, cancellationToken: TestContext.Current.CancellationToken);

        ModelArtifact start = ModelArtifact.Load(startPath);
        ModelArtifact fm = ModelArtifact.Load(Path.Combine(workDir, "fm-pretrain", "fm.cwm"));
        Assert.Equal(fm.Tensors["embedding"], start.Tensors["embedding"]);
        Assert.Equal(fm.Tensors["first_order"], start.Tensors["first_order"]);

        ModelArtifact trained = ModelArtifact.Load(report.ModelPath);
        CtrModel supernet = trained.Instantiate(request.Training.BatchSize);
        FeatureLayout layout = trained.FeatureMap.Layout;
        RowMask mask = RowMask.Of(trained.Config, layout, trained.Tensors)!;
        int[] dims = [.. Enumerable.Range(0, layout.FieldCount).Select(f => 1 + (f % 8))];
        CtrModel retrain = RetrainModel.Create(supernet, mask, dims, RetrainStart.Rewind, start.Tensors);
        CtrModel fresh = ModelRegistry.Create(supernet.Config, layout);
        foreach (Parameter p in retrain.Parameters.Where(p => p.Name != "embedding.kept"))
        {
            Assert.Equal(start.Tensors[p.Name], p.Value);
        }

        Assert.NotEqual(fresh.Parameters["embedding"].Value, retrain.Parameters["embedding"].Value);
        Assert.Equal(fresh.Parameters["mlp.0.weight"].Value, retrain.Parameters["mlp.0.weight"].Value); // pre-training leaves the DNN at its draw
        Assert.NotEqual(start.Tensors["embedding"], RetrainModel.Create(supernet, mask, dims, RetrainStart.Fresh).Parameters["embedding"].Value);
    }

    /// <summary>
    /// OptEmbed's other retrain start for an FNN: the supernet's draw, from which the retrain reruns the FM pre-training under
    /// the found row mask and widths — the FM is built with them, and its pruned rows and cut dimensions never move.
    /// </summary>
    [Fact]
    public void ADrawRetrainRerunsTheFmPreTrainingUnderTheFoundMaskAndWidths()
    {
        string workDir = _runs.Directory.File("draw-supernet");
        TrainRequest request = _runs.Request with
        {
            Model = _runs.Request.Model with { EmbeddingThreshold = RowThreshold.Field, EmbeddingDimSampling = true },
            Training = _runs.Request.Training with { ThresholdLr = 1e-2, ThresholdPenalty = 5e-2 },
            WorkDir = workDir,
            ModelPath = Path.Combine(workDir, "supernet.cwm"),
        };
        ModelArtifact trained = ModelArtifact.Load(TrainRun.Execute(request, cancellationToken: TestContext.Current.CancellationToken).ModelPath);
        CtrModel supernet = trained.Instantiate(request.Training.BatchSize);
        FeatureLayout layout = trained.FeatureMap.Layout;
        bool[] keep = [.. Enumerable.Range(0, layout.TotalRows).Select(r => r % 3 != 0)]; // a third pruned, whatever the thresholds learned
        var mask = new RowMask(layout, trained.Config.EmbeddingDim, trained.Tensors["embedding"], null, RowThreshold.None, PrunedRows.Zero, [],
            [.. keep.Select(k => k ? 1f : 0f)]);
        int[] dims = [.. Enumerable.Range(0, layout.FieldCount).Select(f => 1 + (f % 8))];
        CtrModel retrain = RetrainModel.Create(supernet, mask, dims, RetrainStart.Draw);
        float[] draw = ModelRegistry.Create(supernet.Config, layout).Parameters["embedding"].Value;
        Assert.Equal(draw, retrain.Parameters["embedding"].Value);

        string init = _runs.Directory.File("draw-init.cwm");
        ModelArtifact.Save(init, retrain, trained.FeatureMap);
        string retrainDir = _runs.Directory.File("draw-retrain");
        TrainReport report = TrainRun.Execute(request with
        {
            Model = retrain.Config, InitFrom = init, PretrainInit = true, WorkDir = retrainDir, ModelPath = Path.Combine(retrainDir, "fnn.cwm"),
            Training = request.Training with { L2Embedding = 0 }, // the decay would move every looked-up row, pruned or not
        }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Single(report.FmPretraining!.Epochs);
        Assert.Contains("embedding.kept", report.Start!.Copied);
        ModelArtifact fm = ModelArtifact.Load(Path.Combine(retrainDir, "fm-pretrain", "fm.cwm"));
        Assert.Equal("fm", fm.Config.Name);
        Assert.Equal(dims, fm.Config.EmbeddingFieldDims);
        Assert.Equal(keep.Select(k => k ? 1f : 0f), fm.Tensors["embedding.kept"]);
        float[] saved = ModelArtifact.Load(init).Tensors["embedding"]; // the draw, pruned rows and cut dimensions stored as zeros
        int d = fm.Config.EmbeddingDim, moved = 0;
        for (int f = 0; f < layout.FieldCount; f++)
        {
            for (int r = layout.Offsets[f]; r < layout.Offsets[f] + layout.Sizes[f]; r++)
            {
                for (int k = 0; k < d; k++)
                {
                    bool changed = fm.Tensors["embedding"][r * d + k] != saved[r * d + k];
                    Assert.False(changed && (!keep[r] || k >= dims[f]), $"row {r} (kept {keep[r]}) dimension {k} of {dims[f]} moved in the FM");
                    moved += changed ? 1 : 0;
                }
            }
        }

        Assert.True(moved > layout.TotalRows / 4, $"only {moved} kept values moved: the FM did not train");
        ModelArtifact fnn = ModelArtifact.Load(report.ModelPath);
        Assert.Equal(fm.Tensors["embedding.kept"], fnn.Tensors["embedding.kept"]);
        Assert.Equal(dims, fnn.Config.EmbeddingFieldDims);
    }

    [Fact]
    public void StartingFromASavedModelIsRefusedWhereItIsNotMeaningful()
    {
        using PreparedDataset data = _runs.OpenCache();
        string fmPath = _runs.Directory.File("refused-fm.cwm");
        ModelArtifact.Save(fmPath, RunData.RandomModel("fm", data.Map.Layout, 1), data.Map);
        TrainRequest From(string model, int dim = 6) => _runs.Request with
        {
            Model = _runs.Request.Model with { Name = model, EmbeddingDim = dim },
            InitFrom = fmPath,
            InitTransfer = true,
        };

        Assert.Contains("'ffm.embedding'", Assert.Throws<ArgumentException>(() => TrainRun.Validate(From("ffm"))).Message);
        Assert.Contains("'wide.embedding'", Assert.Throws<ArgumentException>(() => TrainRun.Validate(From("wdl-fm"))).Message);
        Assert.Contains("--embedding-dim 6", Assert.Throws<ArgumentException>(() => TrainRun.Validate(From("fnn", dim: 8))).Message);
        TrainRun.Validate(From("fnn"));
        TrainRun.Validate(From("deepfm"));
        // The saved model's own architecture continues it, whatever the request's dimensions.
        TrainRun.Validate(From("fm", dim: 8));
    }
}
