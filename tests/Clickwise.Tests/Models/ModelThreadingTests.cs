using Clickwise.Data;
using Clickwise.Features;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Training.Optimizers;

namespace Clickwise.Tests.Models;

public sealed class ModelThreadingTests
{
    /// <summary>
    /// Every parallel pass of a training step (gather, FwFM, Mlp passes, scatter, optimizer) splits its work so the
    /// result does not depend on the split: a few Adam steps on one and on two threads give the same bits. The two
    /// runs live in one process at once, each model with its own context, and their steps interleave.
    /// </summary>
    [Theory]
    [InlineData("deepfwfm")]
    [InlineData("deepfm")]
    [InlineData("nfm")]
    [InlineData("dcnv2")]
    [InlineData("gdcn")]
    [InlineData("xdeepfm")]
    [InlineData("fibinet")]
    [InlineData("ffm")]
    [InlineData("fnn")]
    [InlineData("wdl-fm")]
    [InlineData("autoint+")]
    [InlineData("ipnn")]
    [InlineData("opnn")]
    public void TrainingStepsGiveTheSameBitsOnOneAndTwoThreads(string name) => AssertSameBitsOnOneAndTwoThreads(name, new ModelConfig());

    /// <summary>Tensor-train fields (three of seven, rank 4): rows contracted by batch-row parts, cores accumulated by field parts.</summary>
    [Theory]
    [InlineData("deepfm")]
    [InlineData("dcn")]
    public void TensorTrainStepsGiveTheSameBitsOnOneAndTwoThreads(string name) =>
        AssertSameBitsOnOneAndTwoThreads(name, new ModelConfig { EmbeddingTtRank = 4, EmbeddingTtFields = 3 });

    /// <summary>Quotient-remainder fields (three of seven, m = 8): remainder rows scattered by slot ownership beside the table's.</summary>
    [Theory]
    [InlineData("deepfm")]
    [InlineData("dcn")]
    public void QuotientRemainderStepsGiveTheSameBitsOnOneAndTwoThreads(string name) =>
        AssertSameBitsOnOneAndTwoThreads(name, new ModelConfig { EmbeddingQrCollisions = 8, EmbeddingQrFields = 3 });

    /// <param name="table">The embedding settings to take (tensor-train or quotient-remainder fields); the rest is the run's.</param>
    private static void AssertSameBitsOnOneAndTwoThreads(string name, ModelConfig table)
    {
        var one = new Run(name, ComputeContext.Default with { Threads = 1 }, table);
        var two = new Run(name, ComputeContext.Default with { Threads = 2 }, table);
        Assert.Equal(1, one.Model.Compute.Threads);
        Assert.Equal(2, two.Model.Compute.Threads);
        for (int step = 0; step < 3; step++)
        {
            one.Step(step, new SeededRandom(4 + step));
            two.Step(step, new SeededRandom(4 + step));
        }

        for (int i = 0; i < one.Model.Parameters.Count; i++)
        {
            Assert.Equal(one.Model.Parameters[i].Value, two.Model.Parameters[i].Value);
        }
    }

    /// <summary>The trainer passes its context to the model and the optimizer; null keeps the model's own.</summary>
    [Fact]
    public void TheTrainerRunsWithItsContext()
    {
        var layout = new FeatureLayout(["a", "b"], [10, 10]);
        CtrModel model = ModelRegistry.Create(new ModelConfig { Name = "deepfm", EmbeddingDim = 4, HiddenUnits = [8] }, layout);
        var one = ComputeContext.Default with { Threads = 1 };
        var trainer = new Clickwise.Training.Trainer(model, new Clickwise.Training.TrainingConfig { BatchSize = 16 }, compute: one);
        Assert.Same(one, model.Compute);
        Assert.Same(one, ((SlottedOptimizer)trainer.Optimizer).Compute);
        _ = new Clickwise.Training.Trainer(model, new Clickwise.Training.TrainingConfig { BatchSize = 8 });
        Assert.Same(one, model.Compute);
    }

    /// <summary>One model, its Adam and its data, stepped on request so two runs can interleave.</summary>
    private sealed class Run
    {
        private const int BatchSize = 600, Fields = 7;
        private readonly FeatureLayout _layout;
        private readonly Adam _adam;
        private readonly Batch _batch = new(BatchSize, Fields) { Count = BatchSize };
        private readonly float[] _logits = new float[BatchSize], _dLogits = new float[BatchSize];

        public Run(string name, ComputeContext compute, ModelConfig table)
        {
            _layout = new FeatureLayout([.. Enumerable.Range(0, Fields).Select(f => $"f{f}")], [.. Enumerable.Repeat(500, Fields)]);
            var config = new ModelConfig
            {
                Name = name, EmbeddingDim = 6, HiddenUnits = [70, 40], Dropout = 0.5f, Seed = 3,
                EmbeddingTtRank = table.EmbeddingTtRank, EmbeddingTtFields = table.EmbeddingTtFields,
                EmbeddingQrCollisions = table.EmbeddingQrCollisions, EmbeddingQrFields = table.EmbeddingQrFields,
            };
            Model = ModelRegistry.Create(config, _layout);
            Model.PrepareTraining(BatchSize, compute);
            _adam = new Adam(new OptimizerSettings { LearningRate = 1e-2, L2Net = 1e-3, L2Embedding = 1e-3 }, compute);
        }

        public CtrModel Model { get; }

        public void Step(int step, SeededRandom random)
        {
            for (int i = 0; i < BatchSize * Fields; i++)
            {
                // Skewed ids so rows repeat within a batch, as real ones do.
                int f = i % Fields;
                _batch.Ids[i] = _layout.Offsets[f] + (int)(random.NextDouble() * random.NextDouble() * 500);
            }

            for (int b = 0; b < BatchSize; b++)
            {
                _batch.Labels[b] = random.NextDouble() < 0.3 ? 1f : 0f;
            }

            Model.BeginStep(step);
            Model.Parameters.ZeroGrad();
            Model.Forward(_batch, _logits, training: true);
            BinaryLogLoss.Forward(_logits, _batch.LabelsInUse, BatchSize, _dLogits);
            Model.Backward(_batch, _dLogits);
            _adam.Step(Model.Parameters);
        }
    }
}
