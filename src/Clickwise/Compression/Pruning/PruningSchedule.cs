namespace Clickwise.Compression.Pruning;

/// <summary>
/// DeepLight's Algorithm 1 schedule: after <see cref="WarmupEpochs"/> dense epochs, at iteration k (counted from
/// the end of warm-up, starting at 1) a component with target S is pruned to s = S·(1 − D^(k/U)), every
/// <see cref="Interval"/> iterations and on the last batch of each epoch.
/// </summary>
/// <param name="Decay">D in the paper (0.99): how slowly sparsity approaches its target.</param>
/// <param name="DecayIterations">
/// U in the paper (100 iterations, tuned for Criteo's 18k iterations an epoch); 0 fits it to the run instead
/// (<see cref="FitDecayIterations"/>), which is the default a dataset of any size can use.
/// </param>
/// <param name="UntilEpoch">
/// The epoch (fractions allowed) at whose end every component reaches its target exactly; the epochs after it train at
/// the targets and are the candidates for the best-validation epoch. 0: the run's last step, so only the last epoch is
/// at the targets.
/// </param>
public sealed record PruningSchedule(int WarmupEpochs = 2, double Decay = 0.99, double DecayIterations = 100, int Interval = 10,
                                     double UntilEpoch = 0)
{
    /// <summary>Share of the target the fitted schedule reaches one epoch before the end.</summary>
    public const double FittedReach = 0.99;

    /// <summary>
    /// The U for which s reaches <see cref="FittedReach"/> of the target at <see cref="UntilEpoch"/>'s end when it is set;
    /// otherwise when one epoch is left (half-way through the pruning epochs if only one follows warm-up), so the last
    /// epoch fine-tunes at nearly full sparsity.
    /// </summary>
    public double FitDecayIterations(int epochs, int stepsPerEpoch)
    {
        int pruningEpochs = Math.Max(1, epochs - WarmupEpochs);
        double iterations = UntilEpoch > 0 ? TargetIteration(epochs, stepsPerEpoch)
            : pruningEpochs > 1 ? (pruningEpochs - 1) * (double)stepsPerEpoch : stepsPerEpoch / 2.0;
        // Fractional on small runs: D = 0.99 needs k/U ≈ 458 to reach 99%, so 80 iterations want U ≈ 0.17.
        return iterations * Math.Log(Decay) / Math.Log(1 - FittedReach);
    }

    /// <summary>This schedule with <see cref="DecayIterations"/> fitted to the run when it is 0.</summary>
    public PruningSchedule ResolvedFor(int epochs, int stepsPerEpoch) =>
        DecayIterations > 0 ? this : this with { DecayIterations = FitDecayIterations(epochs, stepsPerEpoch) };

    /// <summary>s = S·(1 − D^(k/U)) for the k-th iteration after warm-up (k ≥ 0).</summary>
    public double SparsityAt(double target, long iteration)
    {
        if (iteration < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(iteration), "iterations are counted from 0 at the end of warm-up");
        }

        return target * (1 - Math.Pow(Decay, iteration / DecayIterations));
    }

    /// <summary>The iteration after warm-up from which every component is at its target: <see cref="UntilEpoch"/>'s end, or the run's last.</summary>
    public long TargetIteration(int epochs, int stepsPerEpoch) =>
        (long)Math.Ceiling(((UntilEpoch > 0 ? UntilEpoch : epochs) - WarmupEpochs) * stepsPerEpoch);

    /// <summary>The first epoch that ends at the targets: the candidates for a restored best epoch start there.</summary>
    public int FirstEpochAtTarget(int epochs) => UntilEpoch > 0 ? (int)Math.Ceiling(UntilEpoch) : epochs;

    /// <summary>Whether the k-th iteration after warm-up (k ≥ 1) re-prunes.</summary>
    public bool IsPruneStep(long iteration, bool lastBatchOfEpoch) =>
        iteration >= 1 && (iteration % Interval == 0 || lastBatchOfEpoch);

    /// <summary>Checks the values a user can set; throws with the setting named.</summary>
    public void Validate()
    {
        if (WarmupEpochs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), "warm-up epochs must be ≥ 0");
        }

        if (!(Decay > 0 && Decay < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Decay), "the decay D must be in (0, 1)");
        }

        if (DecayIterations < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DecayIterations), "must be > 0, or 0 to fit it to the run");
        }

        if (Interval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), "must be ≥ 1");
        }

        if (UntilEpoch != 0 && !(UntilEpoch > WarmupEpochs && double.IsFinite(UntilEpoch)))
        {
            throw new ArgumentOutOfRangeException(nameof(UntilEpoch), $"must be after the {WarmupEpochs} warm-up epochs, or 0 for the run's last step");
        }
    }
}
