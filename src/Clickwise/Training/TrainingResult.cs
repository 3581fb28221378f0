namespace Clickwise.Training;

/// <summary>What a fit did: every epoch, the best one (1-based, 0 if none was validated) and whether it stopped early.</summary>
public sealed record TrainingResult(IReadOnlyList<EpochResult> Epochs, int BestEpoch, bool StoppedEarly, bool RestoredBest)
{
    /// <summary>The epoch whose parameters the model ends with: the restored best, else the last; null if none ran.</summary>
    public EpochResult? KeptEpoch() => RestoredBest ? Epochs.FirstOrDefault(e => e.Epoch == BestEpoch) : Epochs.LastOrDefault();
}
