namespace Clickwise.Training;

/// <summary>What a fit did: every epoch, the best one (1-based, 0 if none was validated) and whether it stopped early.</summary>
public sealed record TrainingResult(IReadOnlyList<EpochResult> Epochs, int BestEpoch, bool StoppedEarly, bool RestoredBest);
