using System.Text.Json;
using Clickwise.Data;
using Clickwise.Models;
using Clickwise.Training;
using Clickwise.Training.Optimizers;
using static Clickwise.Tests.Training.TrainingFixtures;

namespace Clickwise.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clickwise-train-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly TrainingConfig Config = new()
    {
        Epochs = 3,
        BatchSize = 32,
        LearningRate = 0.01,
        L2Embedding = 1e-4,
        L2Net = 1e-4,
        Seed = 5,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TinyModel Model(float dropout = 0.25f) => new(Layout, 64, dropout: dropout);

    [Fact]
    public void LossFallsAndValidationAucRisesOnASeparableProblem()
    {
        InMemoryBatchSource train = Separable(800, 1), valid = Separable(300, 2);
        TinyModel model = Model(dropout: 0f);
        double aucBefore = ExactEvaluator.Evaluate(model, valid, 64).Auc;
        var trainer = new Trainer(model, Config with { Epochs = 12, Patience = 0 }, ExactEvaluator);

        TrainingResult result = trainer.Fit(train, valid, cancellationToken: Ct);

        Assert.Equal(12, result.Epochs.Count);
        Assert.True(result.Epochs[^1].TrainLoss < 0.5 * result.Epochs[0].TrainLoss,
            $"train loss {result.Epochs[0].TrainLoss} -> {result.Epochs[^1].TrainLoss}");
        Assert.True(result.Epochs[^1].ValidAuc > 0.97, $"valid AUC {aucBefore} -> {result.Epochs[^1].ValidAuc}");
        Assert.True(aucBefore < 0.8);
    }

    [Fact]
    public void EarlyStoppingStopsAfterPatienceAndRestoresTheBestEpoch()
    {
        var scripted = new ScriptedEvaluator(0.60, 0.80, 0.70, 0.75, 0.99);
        TinyModel model = Model();
        var trainer = new Trainer(model, Config with { Epochs = 10, Patience = 2 }, scripted);
        var snapshots = new SnapshotObserver(model);
        trainer.Observers.Add(snapshots);

        TrainingResult result = trainer.Fit(Separable(200, 1), Separable(50, 2), cancellationToken: Ct);

        Assert.Equal(4, result.Epochs.Count);
        Assert.True(result.StoppedEarly);
        Assert.True(result.RestoredBest);
        Assert.Equal(2, result.BestEpoch);
        AssertBitIdentical(snapshots.AfterEpoch[2], model.Parameters);
        Assert.Equal([0.60, 0.80, 0.70, 0.75], result.Epochs.Select(e => e.ValidAuc));
    }

    [Fact]
    public void EpochsBeforeBestFromEpochAreNeverTheBest()
    {
        var scripted = new ScriptedEvaluator(0.60, 0.90, 0.70, 0.80, 0.75);
        TinyModel model = Model();
        var trainer = new Trainer(model, Config with { Epochs = 5, Patience = 0 }, scripted) { BestFromEpoch = 3 };
        var snapshots = new SnapshotObserver(model);
        trainer.Observers.Add(snapshots);

        TrainingResult result = trainer.Fit(Separable(200, 1), Separable(50, 2), cancellationToken: Ct);

        Assert.Equal(4, result.BestEpoch);
        Assert.True(result.RestoredBest);
        Assert.Equal(0.80, result.KeptEpoch()!.ValidAuc);
        AssertBitIdentical(snapshots.AfterEpoch[4], model.Parameters);
    }

    [Fact]
    public void EarlyStoppingOnLogLossPrefersLowerValues()
    {
        var scripted = new ScriptedEvaluator(0.5, 0.4, 0.45, 0.3, 0.35, 0.36);
        var trainer = new Trainer(Model(), Config with { Epochs = 6, Patience = 2, EarlyStoppingMetric = EarlyStopMetric.LogLoss }, scripted);
        TrainingResult result = trainer.Fit(Separable(100, 1), Separable(50, 2), cancellationToken: Ct);
        Assert.Equal(4, result.BestEpoch);
        Assert.Equal(6, result.Epochs.Count);
        Assert.True(result.StoppedEarly);
    }

    /// <summary>Issue 17: a NaN stop in epoch 1 claimed a checkpoint that did not exist yet.</summary>
    [Fact]
    public void ANaNStopBeforeTheFirstCheckpointSaysThereIsNone()
    {
        string checkpoint = Path.Combine(_directory, "run.ckpt");
        TinyModel model = Model();
        model.NaNAtTrainingForward = 3;
        var trainer = new Trainer(model, Config) { CheckpointPath = checkpoint };

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(Separable(200, 1), cancellationToken: Ct));

        Assert.Equal("training stopped: loss is NaN at epoch 1, step 3 (global step 3); no checkpoint was written yet", e.Message);
        Assert.False(File.Exists(checkpoint));
    }

    [Fact]
    public void NaNLossStopsNamingTheStepAndKeepsTheLastGoodCheckpoint()
    {
        string checkpoint = Path.Combine(_directory, "run.ckpt");
        TinyModel model = Model();
        // 200 rows / batch 32 = 7 steps per epoch; forward 10 is epoch 2, step 3.
        model.NaNAtTrainingForward = 10;
        var trainer = new Trainer(model, Config, ExactEvaluator) { CheckpointPath = checkpoint };
        var snapshots = new SnapshotObserver(model);
        trainer.Observers.Add(snapshots);

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(Separable(200, 1), Separable(50, 2), cancellationToken: Ct));

        Assert.Equal((2, 3, 10L), (e.Epoch, e.Step, e.GlobalStep));
        Assert.Contains("loss is NaN at epoch 2, step 3 (global step 10)", e.Message);
        Assert.Contains(checkpoint, e.Message);
        Assert.True(model.Parameters.All(p => p.Value.All(float.IsFinite)));

        TinyModel reloaded = Model();
        var resumed = new Trainer(reloaded, Config, ExactEvaluator);
        resumed.Resume(checkpoint);
        Assert.Equal(1, resumed.State.Epoch);
        Assert.Equal(7, resumed.State.GlobalStep);
        AssertBitIdentical(snapshots.AfterEpoch[1], reloaded.Parameters);
        Assert.Equal([checkpoint], Directory.GetFiles(_directory));
    }

    [Fact]
    public void NaNGradientIsCaughtBeforeTheNextCheckpointNamingTheParameter()
    {
        string checkpoint = Path.Combine(_directory, "run.ckpt");
        TinyModel model = Model();
        // The NaN enters at backward 10 (epoch 2, step 3), exactly when a step checkpoint is due: the forward that
        // would expose it never runs, so only the parameter check stands between it and the checkpoint.
        model.NaNGradientAtBackward = 10;
        var trainer = new Trainer(model, Config) { CheckpointPath = checkpoint, CheckpointEverySteps = 5 };

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(Separable(200, 1), cancellationToken: Ct));

        Assert.Equal(("bias", 10L), (e.Parameter, e.GlobalStep));
        Assert.Contains("parameter 'bias' is not finite after the update at epoch 2, step 3", e.Message);
        var resumed = new Trainer(Model(), Config);
        resumed.Resume(checkpoint);
        Assert.Equal(7, resumed.State.GlobalStep); // the epoch-1 checkpoint, written after the one at step 5
        Assert.Single(resumed.State.History);
    }

    [Fact]
    public void NaNBatchesWithinTheBudgetAreSkippedWithoutAnUpdate()
    {
        TinyModel model = Model();
        model.NaNAtTrainingForward = 4;
        var trainer = new Trainer(model, Config with { MaxNonFiniteBatches = 1 });
        TrainingResult result = trainer.Fit(Separable(200, 1), cancellationToken: Ct);
        Assert.Equal(3, result.Epochs.Count);
        Assert.Equal(1, trainer.State.NonFiniteBatches);
        Assert.True(model.Parameters.All(p => p.Value.All(float.IsFinite)));
        Assert.True(double.IsFinite(result.Epochs[0].TrainLoss));
    }

    [Fact]
    public void SameSeedGivesBitIdenticalParametersAndAnotherSeedDoesNot()
    {
        float[][] Train(int seed)
        {
            TinyModel model = Model();
            new Trainer(model, Config with { Seed = seed }).Fit(Separable(300, 1), cancellationToken: Ct);
            return Snapshot(model.Parameters);
        }

        float[][] first = Train(5);
        TinyModel again = Model();
        new Trainer(again, Config with { Seed = 5 }).Fit(Separable(300, 1), cancellationToken: Ct);
        AssertBitIdentical(first, again.Parameters);
        Assert.NotEqual(first[0], Train(6)[0]);
    }

    [Fact]
    public void ResumingFromAnEpochCheckpointMatchesAnUninterruptedRunBitForBit()
    {
        InMemoryBatchSource train = Separable(300, 1), valid = Separable(100, 2);
        TinyModel straight = Model();
        TrainingResult expected = new Trainer(straight, Config with { Epochs = 4 }, ExactEvaluator).Fit(train, valid, cancellationToken: Ct);

        string checkpoint = Path.Combine(_directory, "run.ckpt");
        new Trainer(Model(), Config with { Epochs = 2 }, ExactEvaluator) { CheckpointPath = checkpoint }.Fit(train, valid, cancellationToken: Ct);

        TinyModel resumedModel = Model(); // fresh objects, as in a new process
        var resumed = new Trainer(resumedModel, Config with { Epochs = 4 }, ExactEvaluator);
        resumed.Resume(checkpoint);
        TrainingResult actual = resumed.Fit(train, valid, cancellationToken: Ct);

        AssertBitIdentical(Snapshot(straight.Parameters), resumedModel.Parameters);
        Assert.Equal(expected.Epochs.Select(e => e.TrainLoss), actual.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(expected.BestEpoch, actual.BestEpoch);
    }

    [Fact]
    public void ResumingADeepFwFMWithDropoutMatchesAnUninterruptedRunBitForBit()
    {
        // The real model: dropout masks come from (seed, global step), so a resumed run draws the same masks.
        var config = new ModelConfig { Name = "deepfwfm", EmbeddingDim = 4, HiddenUnits = [8, 8], Dropout = 0.3f, Seed = 11 };
        CtrModel Deep() => ModelRegistry.Create(config, Layout).Prepared(32);
        InMemoryBatchSource train = Separable(300, 1), valid = Separable(100, 2);
        CtrModel straight = Deep();
        new Trainer(straight, Config with { Epochs = 3 }, ExactEvaluator).Fit(train, valid, cancellationToken: Ct);

        string checkpoint = Path.Combine(_directory, "deep.ckpt");
        new Trainer(Deep(), Config with { Epochs = 1 }, ExactEvaluator) { CheckpointPath = checkpoint }.Fit(train, valid, cancellationToken: Ct);
        CtrModel resumedModel = Deep();
        var resumed = new Trainer(resumedModel, Config with { Epochs = 3 }, ExactEvaluator);
        resumed.Resume(checkpoint);
        resumed.Fit(train, valid, cancellationToken: Ct);

        AssertBitIdentical(Snapshot(straight.Parameters), resumedModel.Parameters);
    }

    [Theory]
    [InlineData(AdamMode.Lazy)]
    [InlineData(AdamMode.Dense)]
    [InlineData(AdamMode.Sparse)]
    public void ResumingFromAMidEpochCheckpointMatchesAnUninterruptedRunBitForBit(AdamMode mode)
    {
        TrainingConfig config = Config with { AdamMode = mode };
        InMemoryBatchSource train = Separable(300, 1);
        TinyModel straight = Model();
        new Trainer(straight, config).Fit(train, cancellationToken: Ct);

        // Interrupt at global step 15 (epoch 2, step 5); the last checkpoint is from step 12.
        string checkpoint = Path.Combine(_directory, "run.ckpt");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var interrupted = new Trainer(Model(), config) { CheckpointPath = checkpoint, CheckpointEverySteps = 4 };
        interrupted.Observers.Add(new CancelAt(15, cancel));
        Assert.Throws<OperationCanceledException>(() => interrupted.Fit(train, cancellationToken: cancel.Token));

        TinyModel resumedModel = Model();
        var resumed = new Trainer(resumedModel, config);
        resumed.Resume(checkpoint);
        Assert.Equal((1, 2, 12L), (resumed.State.Epoch, resumed.State.BatchInEpoch, resumed.State.GlobalStep));
        resumed.Fit(train, cancellationToken: Ct);

        AssertBitIdentical(Snapshot(straight.Parameters), resumedModel.Parameters);
    }

    [Fact]
    public void ResumeRefusesACheckpointOfAnotherModelOrDataOrder()
    {
        string checkpoint = Path.Combine(_directory, "run.ckpt");
        new Trainer(Model(), Config with { Epochs = 1 }) { CheckpointPath = checkpoint }.Fit(Separable(64, 1), cancellationToken: Ct);

        var other = new TinyModel(Layout, 64, dim: 6);
        Assert.Contains("written for model config",
            Assert.ThrowsAny<Exception>(() => new Trainer(other, Config).Resume(checkpoint)).Message);
        Assert.Contains("same",
            Assert.Throws<InvalidDataException>(() => new Trainer(Model(), Config with { BatchSize = 16 }).Resume(checkpoint)).Message);
        Assert.Contains("holds adam state, but training uses sgd",
            Assert.ThrowsAny<Exception>(() => new Trainer(Model(), Config with { Optimizer = "sgd" }).Resume(checkpoint)).Message);
        Assert.Contains("holds adam_mode lazy state, but training uses dense",
            Assert.ThrowsAny<Exception>(() => new Trainer(Model(), Config with { AdamMode = AdamMode.Dense }).Resume(checkpoint)).Message);
    }

    [Fact]
    public void MetricsJsonlHasOneParsableLinePerEpochWithTheListedFields()
    {
        string path = Path.Combine(_directory, "metrics.jsonl");
        var trainer = new Trainer(Model(), Config, ExactEvaluator);
        TrainingResult result;
        using (var writer = new MetricsJsonlWriter(path))
        {
            trainer.Observers.Add(writer);
            result = trainer.Fit(Separable(200, 1), Separable(50, 2), cancellationToken: Ct);
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            using JsonDocument doc = JsonDocument.Parse(lines[i]);
            JsonElement o = doc.RootElement;
            Assert.Equal(
                ["epoch", "train_loss", "valid_auc", "valid_logloss", "samples_per_sec", "seconds"],
                o.EnumerateObject().Select(p => p.Name));
            Assert.Equal(i + 1, o.GetProperty("epoch").GetInt32());
            Assert.Equal(result.Epochs[i].TrainLoss, o.GetProperty("train_loss").GetDouble());
            Assert.Equal(result.Epochs[i].ValidAuc, o.GetProperty("valid_auc").GetDouble());
            Assert.Equal(result.Epochs[i].ValidLogLoss, o.GetProperty("valid_logloss").GetDouble());
            Assert.True(o.GetProperty("samples_per_sec").GetDouble() > 0);
            Assert.True(o.GetProperty("seconds").GetDouble() >= 0);
        }
    }

    [Fact]
    public void StepProgressCountsStepsAndEstimatesRemainingTime()
    {
        var trainer = new Trainer(Model(), Config with { Epochs = 2 });
        var progress = new ProgressRecorder();
        trainer.Observers.Add(progress);
        trainer.Fit(Separable(100, 1), cancellationToken: Ct);

        Assert.Equal(8, progress.Steps.Count); // 100 rows / 32 = 4 steps × 2 epochs
        Assert.Equal([1, 2, 3, 4, 1, 2, 3, 4], progress.Steps.Select(s => s.Step));
        Assert.All(progress.Steps, s => Assert.Equal(4, s.StepsPerEpoch));
        Assert.Equal(TimeSpan.Zero, progress.Steps[^1].Eta);
        Assert.True(progress.Steps[0].Eta > TimeSpan.Zero);
        Assert.True(progress.Steps[0].SamplesPerSec > 0);
    }

    private sealed class ScriptedEvaluator(params double[] aucs) : IEvaluator
    {
        private int _calls;

        public EvalResult Evaluate(CtrModel model, IBatchSource data, int batchSize)
        {
            double value = aucs[_calls++];
            return new EvalResult(value, value, data.RowCount);
        }
    }

    private sealed class SnapshotObserver(CtrModel model) : ITrainingObserver
    {
        public Dictionary<int, float[][]> AfterEpoch { get; } = [];

        public void OnStep(in StepProgress progress)
        {
        }

        public void OnEpoch(EpochResult result) => AfterEpoch[result.Epoch] = Snapshot(model.Parameters);
    }

    private sealed class CancelAt(long globalStep, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void OnStep(in StepProgress progress)
        {
            if (progress.GlobalStep == globalStep)
            {
                cancel.Cancel();
            }
        }

        public void OnEpoch(EpochResult result)
        {
        }
    }

    private sealed class ProgressRecorder : ITrainingObserver
    {
        public List<StepProgress> Steps { get; } = [];

        public void OnStep(in StepProgress progress) => Steps.Add(progress);

        public void OnEpoch(EpochResult result)
        {
        }
    }
}
