using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Clickwise.Data;
using Clickwise.IO;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Models;
using Clickwise.Training.Optimizers;

namespace Clickwise.Training;

/// <summary>
/// The training loop: shuffled mini-batches (epoch e seeded with seed + e), forward → stable logloss → backward
/// → optimizer step, a finiteness check on every loss, a divergence check on every epoch, per-epoch validation with early stopping and restore of
/// the best epoch, checkpoints that resume bit-identically. Same seed and thread count give the same model.
/// </summary>
public sealed class Trainer
{
    private readonly CtrModel _model;
    private readonly TrainingConfig _config;
    private readonly IEvaluator? _evaluator;
    private readonly float[] _logits;
    private readonly float[] _dLogits;
    private float[][]? _best;

    /// <param name="model">The model to train; prepared here for the batch size and context if it is not already.</param>
    /// <param name="config">Data order, optimizer and stopping rules.</param>
    /// <param name="evaluator">Validation metrics per epoch, or null.</param>
    /// <param name="compute">Threads, kernels and phase sink of the steps; null keeps the model's (default: <see cref="ComputeContext.Default"/>).</param>
    public Trainer(CtrModel model, TrainingConfig config, IEvaluator? evaluator = null, ComputeContext? compute = null)
    {
        config.Validate();
        compute ??= model.Compute;
        if (model.MaxBatchSize < config.BatchSize || model.Compute != compute)
        {
            model.PrepareTraining(Math.Max(model.MaxBatchSize, config.BatchSize), compute);
        }

        foreach (Parameter threshold in model.Parameters.Where(p => p.Role == ParameterRole.Threshold))
        {
            threshold.Frozen = config.ThresholdLr == 0;
        }

        _model = model;
        _config = config;
        _evaluator = evaluator;
        Optimizer = OptimizerFactory.Create(config.Optimizer, config.OptimizerSettings, compute);
        _logits = new float[config.BatchSize];
        _dLogits = new float[config.BatchSize];
    }

    public IOptimizer Optimizer { get; }

    public TrainerState State { get; private set; } = new();

    public List<ITrainingObserver> Observers { get; } = [];

    /// <summary>Run after every optimizer step, in order (e.g. pruning).</summary>
    public List<ITrainingHook> Hooks { get; } = [];

    /// <summary>Where checkpoints go (after every epoch, and every <see cref="CheckpointEverySteps"/>); null for none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Also checkpoint every this many global steps; 0 only at epoch ends.</summary>
    public int CheckpointEverySteps { get; init; }

    /// <summary>
    /// Epochs before this one are never the best (nor count against patience): a pruning run's epochs before its
    /// targets are reached are less sparse than the model it must save.
    /// </summary>
    public int BestFromEpoch { get; init; } = 1;

    /// <summary>The feature map stored with checkpoints, opaque to the trainer.</summary>
    public string? FeatureMapJson { get; init; }

    /// <summary>
    /// Data-parallel training: each rank's trainer fits its shard of the rows and this sums the gradients over the ranks
    /// every step (global batch = ranks × <see cref="TrainingConfig.BatchSize"/>); null trains alone.
    /// </summary>
    public IGradientExchange? Exchange { get; init; }

    private int Ranks => Exchange?.Ranks ?? 1;

    /// <summary>Continues from a checkpoint written by a run with the same model config, training path settings and vocabulary.</summary>
    public void Resume(string checkpointPath)
    {
        (TrainerState state, TrainingConfig written, ModelFileContent content) = Checkpoint.Load(checkpointPath, _model, Optimizer);
        if (state.Ranks != Ranks)
        {
            throw new InvalidDataException($"{checkpointPath}: written by a run of {state.Ranks} rank(s); resuming needs the same number "
                + $"(got {Ranks}) to continue the same shards and data order");
        }

        if (written.BatchSize != _config.BatchSize || written.Seed != _config.Seed)
        {
            throw new InvalidDataException(
                $"{checkpointPath}: written with batch size {written.BatchSize} and seed {written.Seed}; resuming needs the same "
                + $"(got {_config.BatchSize} and {_config.Seed}) to continue the same data order");
        }

        if (written.PathDifferences(_config) is { Count: > 0 } changed)
        {
            throw new InvalidDataException($"{checkpointPath}: written with other training settings than this run's ({string.Join(", ", changed)}); "
                + "resuming continues the same run, so give the checkpoint's settings, or start again without --resume");
        }

        // Ids mean what the vocabulary says: a checkpoint of another vocabulary (other data, another split, or fitted over
        // all rows by an older version) would continue with every embedding row meaning another category.
        if (FeatureMapJson is not null && content.FeatureMapJson is not null && content.FeatureMapJson != FeatureMapJson)
        {
            throw new InvalidDataException(
                $"{checkpointPath}: written with another vocabulary than this run's (other data or split, or fitted over all rows "
                + "by an older version); resuming needs the same, so start again without --resume");
        }

        _best = null;
        if (content.Tensors.Any(t => t.Role == Checkpoint.BestRole))
        {
            var best = new ParameterSet();
            foreach (Parameter p in _model.Parameters)
            {
                best.Add(Parameter.Dense(p.Name, p.Role, p.Shape));
            }

            ParameterTensors.Load(best, content.Tensors, Checkpoint.BestPrefix, Checkpoint.BestRole);
            _best = best.Select(p => p.Value).ToArray();
        }

        State = state;
    }

    public TrainingResult Fit(IBatchSource train, IBatchSource? valid = null, CancellationToken cancellationToken = default)
    {
        if (train.FieldCount != _model.Layout.FieldCount)
        {
            throw new ArgumentException($"training data has {train.FieldCount} fields, the model {_model.Layout.FieldCount}");
        }

        if (valid is not null && _evaluator is null)
        {
            throw new ArgumentException("a validation set was given but the trainer has no evaluator");
        }

        if (_config.ShuffleBlockRows > 0)
        {
            train = train.BlockShuffled(_config.ShuffleBlockRows, _config.ShuffleWindowBlocks);
        }

        if (_model.Compute.SynchronousReading)
        {
            train = train.Synchronous();
        }

        int stepsPerEpoch = checked((int)((train.RowCount + _config.BatchSize - 1) / _config.BatchSize));
        long epochRows = train.RowCount * Ranks;
        State.Ranks = Ranks;
        var runClock = Stopwatch.StartNew();
        long runRows = 0;
        while (State.Epoch < _config.Epochs && !State.Stopped)
        {
            int epoch = State.Epoch + 1;
            var epochClock = Stopwatch.StartNew();
            long epochRowsThisRun = 0;
            int step = 0;
            foreach (Batch batch in train.Batches(_config.BatchSize, shuffle: true, seed: _config.Seed + State.Epoch))
            {
                if (step++ < State.BatchInEpoch)
                {
                    continue; // resuming: these batches were consumed before the checkpoint
                }

                cancellationToken.ThrowIfCancellationRequested();
                int rows = TrainStep(batch, epoch, step, stepsPerEpoch);
                epochRowsThisRun += rows;
                runRows += rows;
                Report(epoch, step, stepsPerEpoch, epochRows, runRows, runClock.Elapsed);
                if (CheckpointEverySteps > 0 && State.GlobalStep % CheckpointEverySteps == 0)
                {
                    Exchange?.Synchronize(_model.Parameters, Optimizer);
                    RequireFiniteParameters(epoch, step);
                    SaveCheckpoint();
                }
            }

            Exchange?.Synchronize(_model.Parameters, Optimizer);
            RequireFiniteParameters(epoch, step);
            double seconds = epochClock.Elapsed.TotalSeconds;
            EpochResult result = FinishEpoch(epoch, valid, epochRowsThisRun / Math.Max(seconds, 1e-9), seconds);
            RequireNotDiverged(result, step);
            foreach (ITrainingObserver observer in Observers)
            {
                observer.OnEpoch(result);
            }

            SaveCheckpoint();
        }

        bool restored = false;
        if (_config.RestoreBest && _best is not null && State.History.Count > 0 && State.BestEpoch != State.History[^1].Epoch)
        {
            for (int i = 0; i < _model.Parameters.Count; i++)
            {
                _best[i].CopyTo(_model.Parameters[i].Value, 0);
            }

            restored = true;
        }

        return new TrainingResult(State.History.ToArray(), State.BestEpoch, State.Stopped, restored);
    }

    /// <returns>The rows of the (global) batch.</returns>
    private int TrainStep(Batch batch, int epoch, int step, int stepsPerEpoch)
    {
        int n = batch.Count;
        Span<float> logits = _logits.AsSpan(0, n);
        Span<float> dLogits = _dLogits.AsSpan(0, n);
        _model.BeginStep(State.GlobalStep);
        Exchange?.BeforeForward(batch, _model.Parameters);

        _model.Forward(batch, logits, training: true);
        double loss = BinaryLogLoss.Forward(logits, batch.LabelsInUse, n, dLogits);
        State.GlobalStep++;
        State.BatchInEpoch = step;
        if (Exchange is { } exchange)
        {
            // Every rank must reach the exchange, so a non-finite loss is known (to all ranks at once) only after it.
            TensorPrimitives.Multiply(dLogits, 1f / exchange.Ranks, dLogits);
            _model.Parameters.ZeroGrad();
            _model.Backward(batch, dLogits);
            (loss, n) = exchange.Reduce(_model.Parameters, loss, n);
            if (SkipsNonFinite(loss, epoch, step))
            {
                return n;
            }
        }
        else
        {
            if (SkipsNonFinite(loss, epoch, step))
            {
                return n;
            }

            _model.Parameters.ZeroGrad();
            _model.Backward(batch, dLogits);
        }

        Optimizer.Step(_model.Parameters);
        var info = new StepInfo(epoch, _config.Epochs, step, stepsPerEpoch, State.GlobalStep);
        foreach (ITrainingHook hook in Hooks)
        {
            hook.AfterStep(info, Optimizer);
        }

        State.EpochLossSum += loss * n;
        State.EpochRows += n;
        return n;
    }

    /// <summary>
    /// Whether a non-finite loss skips this batch; checked before the step, so the parameters (and any checkpoint) never
    /// see it. Throws once more batches than allowed were skipped.
    /// </summary>
    private bool SkipsNonFinite(double loss, int epoch, int step)
    {
        if (double.IsFinite(loss))
        {
            return false;
        }

        if (++State.NonFiniteBatches > _config.MaxNonFiniteBatches)
        {
            throw new TrainingDivergedException(epoch, step, State.GlobalStep, loss, LastGoodCheckpoint);
        }

        return true;
    }

    private void Report(int epoch, int step, int stepsPerEpoch, long rowsPerEpoch, long runRows, TimeSpan elapsed)
    {
        if (Observers.Count == 0)
        {
            return;
        }

        double rate = runRows / Math.Max(elapsed.TotalSeconds, 1e-9);
        long remaining = (_config.Epochs - epoch) * rowsPerEpoch + Math.Max(0, rowsPerEpoch - State.EpochRows);
        var progress = new StepProgress(epoch, _config.Epochs, step, stepsPerEpoch, State.GlobalStep,
            State.EpochLossSum / Math.Max(State.EpochRows, 1), rate, elapsed, TimeSpan.FromSeconds(remaining / Math.Max(rate, 1e-9)));
        foreach (ITrainingObserver observer in Observers)
        {
            observer.OnStep(progress);
        }
    }

    private EpochResult FinishEpoch(int epoch, IBatchSource? valid, double samplesPerSec, double seconds)
    {
        double auc = double.NaN, logLoss = double.NaN;
        if (valid is not null && _evaluator is not null)
        {
            EvalResult eval = _evaluator.Evaluate(_model, valid, _config.BatchSize);
            (auc, logLoss) = (eval.Auc, eval.LogLoss);
        }

        if (valid is not null && epoch >= BestFromEpoch)
        {
            double metric = _config.EarlyStoppingMetric == EarlyStopMetric.Auc ? auc : logLoss;
            bool better = State.BestMetric is not { } best
                ? double.IsFinite(metric)
                : _config.EarlyStoppingMetric == EarlyStopMetric.Auc ? metric > best : metric < best;
            if (better)
            {
                State.BestMetric = metric;
                State.BestEpoch = epoch;
                State.EpochsWithoutImprovement = 0;
                if (_config.RestoreBest)
                {
                    _best ??= ShadowCopy();
                    for (int i = 0; i < _model.Parameters.Count; i++)
                    {
                        _model.Parameters[i].Value.CopyTo(_best[i], 0);
                    }
                }
            }
            else if (++State.EpochsWithoutImprovement >= _config.Patience && _config.Patience > 0)
            {
                State.Stopped = true;
            }
        }

        var result = new EpochResult(epoch, State.EpochLossSum / Math.Max(State.EpochRows, 1), auc, logLoss, samplesPerSec, seconds);
        State.History.Add(result);
        State.Epoch = epoch;
        State.BatchInEpoch = 0;
        State.EpochLossSum = 0;
        State.EpochRows = 0;
        return result;
    }

    private void SaveCheckpoint()
    {
        if (CheckpointPath is null)
        {
            return;
        }

        IReadOnlyList<ModelTensor>? best = null;
        if (_best is not null)
        {
            best = _model.Parameters.Select((p, i) =>
                ModelTensor.Float32(Checkpoint.BestPrefix + p.Name, Checkpoint.BestRole, p.Shape, _best[i])).ToList();
        }

        Checkpoint.Save(CheckpointPath, _model, Optimizer, _config, State, best, FeatureMapJson);
    }

    /// <summary>The checkpoint a stopped run can resume from: null until the first one is written.</summary>
    private string? LastGoodCheckpoint => CheckpointPath is not null && File.Exists(CheckpointPath) ? CheckpointPath : null;

    // Checked before observers and the checkpoint, so a diverged epoch is neither logged as done nor saved.
    private void RequireNotDiverged(EpochResult result, int step)
    {
        string? reason = DivergenceGuard.Check(result, State.History.Take(State.History.Count - 1).ToList());
        if (reason is not null)
        {
            throw TrainingDivergedException.AtEpochEnd(result.Epoch, step, State.GlobalStep, result.TrainLoss, reason, LastGoodCheckpoint);
        }
    }

    // A NaN gradient with a finite loss poisons the weights silently until the next forward; checking before every
    // checkpoint and validation keeps such weights out of the last good checkpoint. Cost: one read of the weights.
    private void RequireFiniteParameters(int epoch, int step)
    {
        foreach (Parameter p in _model.Parameters)
        {
            if (!AllFinite(p.Value))
            {
                throw new TrainingDivergedException(epoch, step, State.GlobalStep, double.NaN, LastGoodCheckpoint, p.Name);
            }
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        // x − x is 0 for finite x and NaN for ±Inf and NaN, so one comparison per vector covers both.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            foreach (Vector<float> v in vectors)
            {
                if (!Vector.EqualsAll(v - v, Vector<float>.Zero))
                {
                    return false;
                }
            }

            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    private float[][] ShadowCopy() => _model.Parameters.Select(p => new float[p.Length]).ToArray();
}
