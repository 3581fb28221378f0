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
    /// result does not depend on the split: a few Adam steps on one and on two threads give the same bits.
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
    public void TrainingStepsGiveTheSameBitsOnOneAndTwoThreads(string name)
    {
        float[][] one = Train(name, threads: 1);
        float[][] two = Train(name, threads: 2);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], two[i]);
        }
    }

    private static float[][] Train(string name, int threads)
    {
        int saved = ComputeThreads.Count;
        ComputeThreads.Count = threads;
        try
        {
            const int BatchSize = 600, Fields = 7;
            var layout = new FeatureLayout([.. Enumerable.Range(0, Fields).Select(f => $"f{f}")], [.. Enumerable.Repeat(500, Fields)]);
            var config = new ModelConfig { Name = name, EmbeddingDim = 6, HiddenUnits = [70, 40], Dropout = 0.5f, Seed = 3 };
            CtrModel model = ModelRegistry.Create(config, layout).Prepared(BatchSize);
            var adam = new Adam(new OptimizerSettings { LearningRate = 1e-2, L2Net = 1e-3, L2Embedding = 1e-3 });
            var random = new SeededRandom(4);
            var batch = new Batch(BatchSize, Fields) { Count = BatchSize };
            float[] logits = new float[BatchSize], dLogits = new float[BatchSize];
            for (int step = 0; step < 3; step++)
            {
                for (int i = 0; i < BatchSize * Fields; i++)
                {
                    // Skewed ids so rows repeat within a batch, as real ones do.
                    int f = i % Fields;
                    batch.Ids[i] = layout.Offsets[f] + (int)(random.NextDouble() * random.NextDouble() * 500);
                }

                for (int b = 0; b < BatchSize; b++)
                {
                    batch.Labels[b] = random.NextDouble() < 0.3 ? 1f : 0f;
                }

                model.BeginStep(step);
                model.Parameters.ZeroGrad();
                model.Forward(batch, logits, training: true);
                BinaryLogLoss.Forward(logits, batch.LabelsInUse, BatchSize, dLogits);
                model.Backward(batch, dLogits);
                adam.Step(model.Parameters);
            }

            return [.. model.Parameters.Select(p => p.Value)];
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }
}
