using Clickwise.Data;
using Clickwise.Inference;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Tests.Inference;
using Clickwise.Training;
using static Clickwise.Tests.Training.TrainingFixtures;

namespace Clickwise.Tests.Models;

/// <summary>
/// OptEmbed's supernet (seed 004, phase 1) as part of the shared embedding: every model on the table gets the row mask
/// and the sampled widths from its config, serves what it evaluates, and trains reproducibly.
/// </summary>
public sealed class OptEmbedSupernetTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clickwise-optembed-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TrainingConfig Training = new()
    {
        Epochs = 3, BatchSize = 32, LearningRate = 0.01, Seed = 5, ThresholdLr = 0.05, ThresholdPenalty = 0.02,
    };

    public static TheoryData<string, RowThreshold, PrunedRows, bool> MaskedModels()
    {
        var data = new TheoryData<string, RowThreshold, PrunedRows, bool>();
        foreach (string model in new[] { "deepfm", "dcn", "fnn", "ipnn", "fm", "autoint+" })
        {
            data.Add(model, RowThreshold.Field, PrunedRows.Zero, false);
            data.Add(model, RowThreshold.Feature, PrunedRows.Oov, false);
            data.Add(model, RowThreshold.Field, PrunedRows.Zero, true);
        }

        return data;
    }

    /// <summary>Per-field widths 1..5 over the eight fields of <see cref="RandomModels.Layout"/>.</summary>
    private static readonly int[] FieldDims = [1, 5, 3, 2, 5, 4, 1, 3];

    /// <summary>The plan reads the masked table the evaluation forward masks: same logits, and not the unmasked model's.</summary>
    [Theory]
    [MemberData(nameof(MaskedModels))]
    public void ThePlanServesTheMaskedForward(string name, RowThreshold scope, PrunedRows pruned, bool fieldDims)
    {
        ModelConfig config = RandomModels.Config(name) with
        {
            EmbeddingThreshold = scope, EmbeddingPrunedRows = pruned, EmbeddingDimSampling = true, EmbeddingFieldDims = fieldDims ? FieldDims : [],
        };
        CtrModel model = RandomModels.Perturbed(config, seed: 4);
        Parameter thresholds = model.Parameters["embedding.threshold"];
        Array.Fill(thresholds.Value, 1.25f); // about the median L1 norm of five ±0.5 values: half the rows go
        Batch batch = RandomModels.Batch(60, withValues: true);

        float[] expected = RandomModels.ForwardLogits(model, batch);
        CompiledModel compiled = CompiledModel.Compile(model);
        float[] served = new float[batch.Count];
        compiled.PredictLogits(batch.IdsInUse, batch.ValuesInUse, batch.Count, served, compiled.CreateTape(batch.Count));
        RandomModels.AssertClose(expected, served, $"{name} {scope} {pruned} {fieldDims}", tolerance: 1e-6f);

        Array.Fill(thresholds.Value, -1f); // nothing pruned: the model as if it had no mask
        float[] unmasked = RandomModels.ForwardLogits(model, batch);
        Assert.True(expected.Zip(unmasked).Count(p => Math.Abs(p.First - p.Second) > 1e-4f) > batch.Count / 2,
            "the mask changed too few logits to prove it acts");
    }

    /// <summary>
    /// With thresholds at their initial 0 no trained row is pruned, so a masked model's logits are the base model's bit
    /// for bit; with threshold lr 0 they stay at 0 however large α is.
    /// </summary>
    [Fact]
    public void UntrainedThresholdsReproduceTheBaseModelAndARateOfZeroKeepsThem()
    {
        var baseConfig = new ModelConfig { Name = "deepfm", EmbeddingDim = 4, HiddenUnits = [8], Dropout = 0f, Seed = 3 };
        CtrModel plain = ModelRegistry.Create(baseConfig, Layout).Prepared(32);
        CtrModel masked = ModelRegistry.Create(baseConfig with { EmbeddingThreshold = RowThreshold.Field }, Layout).Prepared(32);
        Batch batch = Separable(32, 4).Batches(32, shuffle: false, seed: 0).First();
        float[] a = RandomModels.ForwardLogits(plain, batch), b = RandomModels.ForwardLogits(masked, batch);
        Assert.Equal(a.Select(BitConverter.SingleToInt32Bits), b.Select(BitConverter.SingleToInt32Bits));

        new Trainer(masked, Training with { ThresholdLr = 0, ThresholdPenalty = 1 }).Fit(Separable(200, 1), cancellationToken: Ct);
        Assert.All(masked.Parameters["embedding.threshold"].Value, t => Assert.Equal(0f, t));
    }

    /// <summary>
    /// α = 0 with threshold lr 0: the thresholds are constants, so the straight-through term does not reach the rows and a
    /// masked model trains to the base model's weights bit for bit; with learning thresholds it does (the reference's behaviour).
    /// </summary>
    [Fact]
    public void FrozenThresholdsTrainTheBaseModelBitForBit()
    {
        var baseConfig = new ModelConfig { Name = "deepfm", EmbeddingDim = 4, HiddenUnits = [8], Dropout = 0.2f, Seed = 3 };
        TrainingConfig frozen = Training with { ThresholdLr = 0, ThresholdPenalty = 0 };
        CtrModel Trained(ModelConfig config, TrainingConfig training)
        {
            CtrModel model = ModelRegistry.Create(config, Layout).Prepared(32);
            new Trainer(model, training).Fit(Separable(300, 1), cancellationToken: Ct);
            return model;
        }

        CtrModel plain = Trained(baseConfig, frozen);
        CtrModel masked = Trained(baseConfig with { EmbeddingThreshold = RowThreshold.Field }, frozen);
        foreach (Parameter p in plain.Parameters)
        {
            Assert.Equal(p.Value.Select(BitConverter.SingleToInt32Bits), masked.Parameters[p.Name].Value.Select(BitConverter.SingleToInt32Bits));
        }

        Assert.All(masked.Parameters["embedding.threshold"].Value, t => Assert.Equal(0f, t));
        CtrModel learning = Trained(baseConfig with { EmbeddingThreshold = RowThreshold.Field }, frozen with { ThresholdLr = 1e-3 });
        Assert.NotEqual(plain.Parameters["embedding"].Value, learning.Parameters["embedding"].Value);
    }

    /// <summary>The widths are drawn from (seed, global step) like dropout: a resumed supernet run is the uninterrupted one.</summary>
    [Fact]
    public void ResumingASupernetRunMatchesAnUninterruptedOneBitForBit()
    {
        var config = new ModelConfig
        {
            Name = "deepfm", EmbeddingDim = 6, HiddenUnits = [8], Dropout = 0.2f, Seed = 9,
            EmbeddingThreshold = RowThreshold.Field, EmbeddingDimSampling = true,
        };
        CtrModel Model() => ModelRegistry.Create(config, Layout).Prepared(32);
        InMemoryBatchSource train = Separable(300, 1), valid = Separable(100, 2);
        CtrModel straight = Model();
        new Trainer(straight, Training, ExactEvaluator).Fit(train, valid, cancellationToken: Ct);

        string checkpoint = Path.Combine(_directory, "supernet.ckpt");
        new Trainer(Model(), Training with { Epochs = 1 }, ExactEvaluator) { CheckpointPath = checkpoint }.Fit(train, valid, cancellationToken: Ct);
        CtrModel resumedModel = Model();
        var resumed = new Trainer(resumedModel, Training, ExactEvaluator);
        resumed.Resume(checkpoint);
        resumed.Fit(train, valid, cancellationToken: Ct);

        AssertBitIdentical(Snapshot(straight.Parameters), resumedModel.Parameters);
        Assert.All(straight.Parameters["embedding.threshold"].Value, t => Assert.NotEqual(0f, t)); // they learned
    }

    /// <summary>A training forward keeps the first k ~ U{1..D} dims of each lookup, fixed by the step; evaluation reads whole rows.</summary>
    [Fact]
    public void TrainingForwardsDrawWidthsByStepAndEvaluationReadsWholeRows()
    {
        const int dim = 4, rows = 200;
        var config = new ModelConfig { EmbeddingDim = dim, EmbeddingDimSampling = true };
        var embedding = new EmbeddingPart(new ParameterSet(), RandomModels.Layout, dim, 0.1f, new SeededRandom(1), mask: config);
        embedding.Prepare(rows, Clickwise.Kernels.ComputeContext.Default);
        Batch batch = RandomModels.Batch(rows, withValues: false);
        int[] Widths(long? step)
        {
            if (step is { } s)
            {
                embedding.BeginStep(modelSeed: 2, s);
            }

            embedding.Forward(batch, training: step is not null);
            float[] output = embedding.OutputFor(rows).ToArray();
            return [.. Enumerable.Range(0, output.Length / dim).Select(i => 1 + Array.FindLastIndex(output, i * dim + dim - 1, dim, v => v != 0f) - (i * dim))];
        }

        int[] step3 = Widths(3);
        Assert.Equal(step3, Widths(3));
        Assert.NotEqual(step3, Widths(4));
        Assert.All(Widths(null), w => Assert.Equal(dim, w));
        for (int k = 1; k <= dim; k++)
        {
            double share = step3.Count(w => w == k) / (double)step3.Length; // 1,600 lookups
            Assert.InRange(share, 0.2, 0.3);
        }
    }

    /// <summary>Searched widths hold in training too: the dimensions past a field's width get no gradient and never move.</summary>
    [Fact]
    public void FieldWidthsKeepTheDimensionsPastThemUntrained()
    {
        var config = new ModelConfig { Name = "deepfm", EmbeddingDim = 4, HiddenUnits = [8], Dropout = 0f, Seed = 3, EmbeddingFieldDims = [1, 3, 4] };
        CtrModel model = ModelRegistry.Create(config, Layout).Prepared(32);
        float[] before = model.Parameters["embedding"].Value.ToArray();
        new Trainer(model, Training).Fit(Separable(200, 1), cancellationToken: Ct);
        float[] after = model.Parameters["embedding"].Value;
        for (int f = 0; f < Layout.FieldCount; f++)
        {
            for (int r = Layout.Offsets[f]; r < Layout.Offsets[f] + Layout.Sizes[f]; r++)
            {
                for (int d = 0; d < 4; d++)
                {
                    bool moved = after[(r * 4) + d] != before[(r * 4) + d];
                    Assert.True(d < config.EmbeddingFieldDims[f] || !moved, $"row {r} dim {d} moved past field {f}'s width");
                }
            }
        }

        Assert.NotEqual(before, after);
    }

    /// <summary>The search's fitness reads the supernet at a candidate's widths: at full width it is the supernet's own validation AUC.</summary>
    [Fact]
    public void SupernetFitnessIsTheValidationAucAtTheCandidatesWidths()
    {
        var config = new ModelConfig
        {
            Name = "deepfm", EmbeddingDim = 4, HiddenUnits = [8], Dropout = 0f, Seed = 3, EmbeddingThreshold = RowThreshold.Field, EmbeddingDimSampling = true,
        };
        CtrModel supernet = ModelRegistry.Create(config, Layout).Prepared(64);
        InMemoryBatchSource train = Separable(400, 1), valid = Separable(200, 2);
        new Trainer(supernet, Training).Fit(train, cancellationToken: Ct);
        var fitness = new Clickwise.Compression.EmbeddingSearch.SupernetFitness(supernet, ExactEvaluator, valid, 64);

        Assert.Equal(ExactEvaluator.Evaluate(supernet, valid, 64).Auc, fitness.Auc([4, 4, 4]));
        Assert.NotEqual(fitness.Auc([4, 4, 4]), fitness.Auc([1, 1, 1]));
        int[] kept = fitness.Mask.KeptRowsPerField();
        Assert.Equal((kept[0] * 1L) + (kept[1] * 2L) + (kept[2] * 3L), fitness.Parameters([1, 2, 3]));
        Assert.Equal(1 - (kept.Sum() / (double)Layout.TotalRows), fitness.Mask.Sparsity, 12);
    }

    /// <summary>
    /// Phase 3: the retrained model keeps the supernet's row mask fixed — pruned rows get no gradient, kept rows train —
    /// rewinds to the supernet's initial weights when asked, and serves what it evaluates.
    /// </summary>
    [Theory]
    [InlineData(PrunedRows.Zero)]
    [InlineData(PrunedRows.Oov)]
    public void RetrainingKeepsTheSupernetsRowMaskFixed(PrunedRows pruned)
    {
        var config = new ModelConfig
        {
            Name = "deepfm", EmbeddingDim = 4, HiddenUnits = [8], Dropout = 0f, Seed = 3, EmbeddingThreshold = RowThreshold.Field,
            EmbeddingPrunedRows = pruned, EmbeddingDimSampling = true,
        };
        CtrModel supernet = ModelRegistry.Create(config, Layout).Prepared(32);
        float[] initial = supernet.Parameters["embedding"].Value.ToArray();
        float median = Enumerable.Range(0, Layout.TotalRows).Select(r => EmbeddingRowMask.Norm(initial.AsSpan(r * 4, 4))).Order().ElementAt(Layout.TotalRows / 2);
        Array.Fill(supernet.Parameters["embedding.threshold"].Value, median); // about half the rows go
        var mask = RowMask.Of(supernet.Config, Layout, supernet.Parameters.ToDictionary(p => p.Name, p => p.Value))!;
        int[] kept = mask.KeptRowsPerField();
        Assert.InRange(kept.Sum(), 3, Layout.TotalRows - 3);

        CtrModel retrain = Clickwise.Compression.EmbeddingSearch.RetrainModel.Create(supernet, mask, [4, 2, 3], Clickwise.Compression.EmbeddingSearch.RetrainStart.Rewind, supernet.Parameters.ToDictionary(p => p.Name, p => p.Value.ToArray())).Prepared(32);
        Assert.Equal(initial, retrain.Parameters["embedding"].Value);
        var retrainMask = RowMask.Of(retrain.Config, Layout, retrain.Parameters.ToDictionary(p => p.Name, p => p.Value))!;
        Assert.Equal(kept, retrainMask.KeptRowsPerField());
        new Trainer(retrain, Training).Fit(Separable(300, 1), cancellationToken: Ct);

        float[] after = retrain.Parameters["embedding"].Value;
        for (int f = 0; f < Layout.FieldCount; f++)
        {
            for (int r = Layout.Offsets[f]; r < Layout.Offsets[f] + Layout.Sizes[f]; r++)
            {
                bool moved = !after.AsSpan(r * 4, 4).SequenceEqual(initial.AsSpan(r * 4, 4));
                Assert.True(mask.Keeps(r, f) == moved, $"row {r} (kept {mask.Keeps(r, f)}) moved {moved}");
            }
        }

        Assert.Equal(kept, retrainMask.KeptRowsPerField()); // the mask did not follow the new norms
        Batch batch = Separable(32, 3).Batches(32, shuffle: false, seed: 0).First();
        float[] expected = RandomModels.ForwardLogits(retrain, batch);
        CompiledModel compiled = CompiledModel.Compile(retrain);
        float[] served = new float[batch.Count];
        compiled.PredictLogits(batch.IdsInUse, default, batch.Count, served, compiled.CreateTape(batch.Count));
        RandomModels.AssertClose(expected, served, "retrained", tolerance: 1e-6f);
        Assert.NotEqual(initial, Clickwise.Compression.EmbeddingSearch.RetrainModel.Create(supernet, mask, [4, 4, 4], Clickwise.Compression.EmbeddingSearch.RetrainStart.Fresh).Parameters["embedding"].Value);
    }

    [Fact]
    public void ConfigsRoundTripAndModelsWithoutASharedTableRefuseTheMask()
    {
        var config = new ModelConfig { Name = "dcn", EmbeddingThreshold = RowThreshold.Feature, EmbeddingPrunedRows = PrunedRows.Oov, EmbeddingDimSampling = true };
        ModelConfig changed = new ModelConfig { Name = "dcn" }.With([("embedding_threshold", "feature"), ("embedding_pruned_rows", "oov"), ("embedding_dim_sampling", "true")]);
        Assert.Equal((config.EmbeddingThreshold, config.EmbeddingPrunedRows, config.EmbeddingDimSampling),
            (changed.EmbeddingThreshold, changed.EmbeddingPrunedRows, changed.EmbeddingDimSampling));
        Assert.Contains("embedding_threshold feature", config.Describe());
        Assert.DoesNotContain(new ModelConfig { Name = "dcn" }.Describe(), s => s.StartsWith("embedding_threshold", StringComparison.Ordinal));

        Assert.Contains("lr has no embedding table",
            Assert.Throws<ArgumentException>(() => ModelRegistry.Create(new ModelConfig { Name = "lr", EmbeddingThreshold = RowThreshold.Field }, Layout)).Message);
        Assert.Contains("embedding_dim_sampling",
            Assert.Throws<ArgumentException>(() => ModelRegistry.Create(new ModelConfig { Name = "ffm", EmbeddingDimSampling = true }, Layout)).Message);
        Assert.Contains("embedding_rank replaces them",
            Assert.Throws<ArgumentException>(() => (config with { EmbeddingRank = 2 }).Validate()).Message);
    }
}
