using Clickwise.Compression.Pruning;
using Clickwise.Data;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Training;
using Clickwise.Training.Optimizers;
using static Clickwise.Tests.Training.TrainingFixtures;

namespace Clickwise.Tests.Compression;

public sealed class PruningHookTests
{
    private static readonly TrainingConfig Config = new()
    {
        Epochs = 4,
        BatchSize = 32,
        LearningRate = 0.01,
        Seed = 3,
        RestoreBest = false,
    };

    private static (CtrModel Model, Trainer Trainer, PruningHook Hook) Setup(string targets, bool regrow = false, string name = "deepfwfm",
                                                                             double untilEpoch = 0)
    {
        var config = new ModelConfig { Name = name, EmbeddingDim = 4, HiddenUnits = [16, 16], Dropout = 0f, Seed = 2 };
        config = name == "xdeepfm" ? config with { Options = new XDeepFMOptions { CinLayers = [8, 6, 4] } } : config;
        CtrModel model = ModelRegistry.Create(config, Layout).Prepared(32);
        var pruner = new ModelPruner(model.Parameters, Layout, SparsityTargets.Parse(targets), regrow: regrow);
        var hook = new PruningHook(pruner, new PruningSchedule(WarmupEpochs: 1, DecayIterations: 5, Interval: 3, UntilEpoch: untilEpoch));
        var trainer = new Trainer(model, Config);
        trainer.Hooks.Add(hook);
        return (model, trainer, hook);
    }

    [Fact]
    public void WarmupStaysDenseThenTheRunEndsAtExactlyTheTargets()
    {
        (CtrModel model, Trainer trainer, PruningHook hook) = Setup("D-75% & R-50% & F-40%");
        InMemoryBatchSource train = Separable(320, 1);

        trainer.Fit(train, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1.0, hook.Progress);
        Assert.Equal(MagnitudePruning.PrunedCount(12 * 16, 0.75), Zeros(model.Parameters["mlp.0.weight"]));
        Assert.Equal(MagnitudePruning.PrunedCount(16 * 16, 0.75), Zeros(model.Parameters["mlp.1.weight"]));
        Assert.Equal(MagnitudePruning.PrunedCount(3, 0.5), Zeros(model.Parameters["fwfm.r"]));
        Assert.Equal(MagnitudePruning.PrunedCount(15 * 4, 0.4), Zeros(model.Parameters["embedding"]));
        Assert.Equal(0, Zeros(model.Parameters["mlp.2.weight"]));

        // The optimizer forgets pruned weights: both Adam moments are zero wherever the mask is set.
        var adam = (SlottedOptimizer)trainer.Optimizer;
        foreach (PrunedTensor t in hook.Pruner.Tensors)
        {
            foreach (float[] slot in adam.StateOf(t.Parameter).Slots)
            {
                Assert.All(Enumerable.Range(0, t.Parameter.Length).Where(i => t.Mask.IsPruned(i)), i => Assert.Equal(0f, slot[i]));
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnEarlierUntilEpochReachesTheTargetsAtItsEndAndHoldsThem(bool regrow)
    {
        (CtrModel model, Trainer trainer, PruningHook hook) = Setup("dnn=0.9", regrow, untilEpoch: 2);
        var recorder = new MaskRecorder(hook.Pruner.Tensors[0]);
        trainer.Hooks.Add(recorder);

        trainer.Fit(Separable(320, 1), cancellationToken: TestContext.Current.CancellationToken);

        // 10 steps an epoch: steps 1-10 warm up, step 20 (epoch 2's end) prunes to the target, and every later prune keeps it
        // (with regrow too: the weights may come back between prunes, the mask each prune makes has the target's size).
        long target = MagnitudePruning.PrunedCount(12 * 16, 0.9);
        Assert.True(recorder.Snapshots[18].Pruned < target);
        Assert.All(recorder.Snapshots.Skip(19), s => Assert.Equal(target, s.Pruned));
        Assert.Equal(target, Zeros(model.Parameters["mlp.0.weight"]));
    }

    [Fact]
    public void PersistentMasksHoldBetweenPrunesAndOnlyGrow()
    {
        (CtrModel model, Trainer trainer, PruningHook hook) = Setup("dnn=0.9");
        var recorder = new MaskRecorder(hook.Pruner.Tensors[0]);
        trainer.Hooks.Add(recorder);

        trainer.Fit(Separable(320, 1), cancellationToken: TestContext.Current.CancellationToken);

        // 10 steps an epoch: epoch 1 is warm-up and iterations 1-2 after it precede the first prune (interval 3).
        Assert.Equal(12, recorder.Snapshots.Count(s => s.Pruned == 0));
        Assert.True(recorder.Snapshots[12].Pruned > 0);
        for (int i = 1; i < recorder.Snapshots.Count; i++)
        {
            bool[] before = recorder.Snapshots[i - 1].Mask;
            bool[] after = recorder.Snapshots[i].Mask;
            Assert.All(Enumerable.Range(0, before.Length).Where(j => before[j]), j => Assert.True(after[j]));
            Assert.All(Enumerable.Range(0, after.Length).Where(j => after[j]), j => Assert.Equal(0f, recorder.Snapshots[i].Values[j]));
        }
    }

    [Fact]
    public void CinFiltersEndAtTheirTargetWithMasksThatOnlyGrow()
    {
        (CtrModel model, Trainer trainer, PruningHook hook) = Setup("C-75% & D-50%", name: "xdeepfm");
        PrunedTensor cin1 = Assert.Single(hook.Pruner.Tensors, t => t.Parameter.Name == "cin.1.weight");
        var recorder = new MaskRecorder(cin1);
        trainer.Hooks.Add(recorder);

        trainer.Fit(Separable(320, 1), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1.0, hook.Progress);
        foreach (Parameter p in model.Parameters.Where(p => p.Role == ParameterRole.CinFilter))
        {
            Assert.Equal(MagnitudePruning.PrunedCount(p.Length, 0.75), Zeros(p));
        }

        Assert.All(model.Parameters.Where(p => p.Name.StartsWith("cin.", StringComparison.Ordinal) && p.Role != ParameterRole.CinFilter),
            p => Assert.Equal(0, Zeros(p)));
        Assert.True(recorder.Snapshots.Count(s => s.Pruned == 0) >= 10); // the warm-up epoch is dense
        for (int i = 1; i < recorder.Snapshots.Count; i++)
        {
            bool[] before = recorder.Snapshots[i - 1].Mask;
            bool[] after = recorder.Snapshots[i].Mask;
            Assert.All(Enumerable.Range(0, before.Length).Where(j => before[j]), j => Assert.True(after[j]));
            Assert.All(Enumerable.Range(0, after.Length).Where(j => after[j]), j => Assert.Equal(0f, recorder.Snapshots[i].Values[j]));
        }
    }

    private static int Zeros(Parameter p) => p.Value.Count(v => v == 0f);

    private sealed class MaskRecorder(PrunedTensor tensor) : ITrainingHook
    {
        public List<(int Pruned, bool[] Mask, float[] Values)> Snapshots { get; } = [];

        public void AfterStep(in StepInfo step, IOptimizer optimizer)
        {
            bool[] mask = [.. Enumerable.Range(0, tensor.Parameter.Length).Select(i => tensor.Mask.IsPruned(i))];
            Snapshots.Add((mask.Count(m => m), mask, [.. tensor.Parameter.Value]));
        }
    }
}
