using Clickwise.Training;
using Clickwise.Training.Optimizers;

namespace Clickwise.Compression.Pruning;

/// <summary>
/// DeepLight's Algorithm 1 inside the trainer: dense warm-up epochs, then re-pruning on the schedule with the
/// optimizer state of pruned weights cleared, persistent masks re-applied after every other step, and a prune to the
/// full targets at the schedule's target iteration (the run's last step by default), after which every prune holds
/// them, so each epoch ending there or later has exactly the sparsity asked for.
/// </summary>
/// <remarks>
/// The iteration k of s = S·(1 − D^(k/U)) is derived from the global step, not counted here, so a run resumed
/// from a checkpoint continues the same schedule (the masks are rebuilt from the checkpoint's zeros).
/// </remarks>
public sealed class PruningHook(ModelPruner pruner, PruningSchedule schedule) : ITrainingHook
{
    public ModelPruner Pruner { get; } = pruner;

    public PruningSchedule Schedule { get; } = schedule;

    /// <summary>Fraction of the targets pruned so far (0 before warm-up ends).</summary>
    public double Progress { get; private set; }

    // The schedule with U fitted to this run, resolved once: the run's length does not change between steps.
    private PruningSchedule? _resolved;

    public void AfterStep(in StepInfo step, IOptimizer optimizer)
    {
        if (step.Epoch <= Schedule.WarmupEpochs)
        {
            return;
        }

        PruningSchedule schedule = _resolved ??= Schedule.ResolvedFor(step.EpochCount, step.StepsPerEpoch);
        long iteration = step.GlobalStep - (long)schedule.WarmupEpochs * step.StepsPerEpoch;
        long target = schedule.TargetIteration(step.EpochCount, step.StepsPerEpoch);
        bool atTarget = iteration >= target || step.IsLastOfRun;
        double fraction = atTarget ? 1.0 : schedule.SparsityAt(1.0, iteration);
        if (iteration == target || step.IsLastOfRun || schedule.IsPruneStep(iteration, step.IsLastInEpoch))
        {
            Pruner.Prune(fraction);
            Progress = fraction;
            ClearOptimizerState(optimizer);
        }
        else if (!Pruner.Regrow)
        {
            Pruner.ApplyMasks();
        }
    }

    // A pruned weight's moments would otherwise keep pushing it (and, with regrow, bring it back on stale momentum).
    private void ClearOptimizerState(IOptimizer optimizer)
    {
        if (optimizer is not SlottedOptimizer slotted)
        {
            return;
        }

        foreach (PrunedTensor t in Pruner.Tensors)
        {
            foreach (float[] slot in slotted.StateOf(t.Parameter).Slots)
            {
                t.Mask.Apply(slot);
            }
        }
    }
}
