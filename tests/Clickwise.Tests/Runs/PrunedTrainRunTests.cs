using Clickwise.Compression.Pruning;
using Clickwise.Runs;
using Clickwise.Tests.DataCache;

namespace Clickwise.Tests.Runs;

/// <summary>A pruning run whose schedule reaches its targets before the last epoch (<c>until_epoch</c>).</summary>
public sealed class PrunedTrainRunTests
{
    [Fact]
    public void AnEarlierUntilEpochKeepsTheBestValidatedEpochAtTheTargets()
    {
        using var dir = new TempDirectory();
        string data = dir.File("clicks.tsv");
        RunData.Synthesize(data, rows: 6000, seed: 4);
        TrainRequest baseline = RunData.Request(data, dir.File("run"), "deepfwfm", epochs: 4);
        TrainRequest request = baseline with
        {
            Model = baseline.Model with { EmbeddingDim = 4, HiddenUnits = [16, 16] },
            Preprocessing = baseline.Preprocessing with { MinCount = 2 },
            Training = baseline.Training with { BatchSize = 512, LearningRate = 0.005 },
            Pruning = new PruningConfig { Sparsity = "D-90% & F-40%", WarmupEpochs = 1, UntilEpoch = 2 },
        };

        TrainReport report = TrainRun.Execute(request, cancellationToken: TestContext.Current.CancellationToken);

        // Epochs 2-4 end at the targets; the best of them by validation AUC is the one saved, whichever it is.
        double bestAtTarget = report.Training.Epochs.Skip(1).Max(e => e.ValidAuc);
        Assert.InRange(report.Training.BestEpoch, 2, 4);
        Assert.Equal(bestAtTarget, report.Training.KeptEpoch()!.ValidAuc);
        Assert.Equal(report.Training.BestEpoch != 4, report.Training.RestoredBest);
        ModelArtifact saved = ModelArtifact.Load(report.ModelPath);
        float[] first = saved.Tensors["mlp.0.weight"];
        Assert.Equal(MagnitudePruning.PrunedCount(first.Length, 0.9), first.Count(v => v == 0f));
    }
}
