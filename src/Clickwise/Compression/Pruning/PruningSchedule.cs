namespace Clickwise.Compression.Pruning;

/// <summary>
/// DeepLight's Algorithm 1 schedule: after <see cref="WarmupEpochs"/> dense epochs, at iteration k (counted from
/// the end of warm-up, starting at 1) a component with target S is pruned to s = S·(1 − D^(k/U)), every
/// <see cref="Interval"/> iterations and on the last batch of each epoch.
/// </summary>
/// <param name="Decay">D in the paper (0.99): how slowly sparsity approaches its target.</param>
/// <param name="DecayIterations">U in the paper (100 iterations).</param>
public sealed record PruningSchedule(int WarmupEpochs = 2, double Decay = 0.99, int DecayIterations = 100, int Interval = 10)
{
    /// <summary>s = S·(1 − D^(k/U)) for the k-th iteration after warm-up (k ≥ 0).</summary>
    public double SparsityAt(double target, long iteration)
    {
        if (iteration < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(iteration), "iterations are counted from 0 at the end of warm-up");
        }

        return target * (1 - Math.Pow(Decay, iteration / (double)DecayIterations));
    }

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

        if (DecayIterations < 1 || Interval < 1)
        {
            throw new ArgumentOutOfRangeException(DecayIterations < 1 ? nameof(DecayIterations) : nameof(Interval), "must be ≥ 1");
        }
    }
}
