namespace Clickwise.Training;

/// <summary>One finished epoch (1-based). Validation metrics are NaN when there is no validation set.</summary>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    double ValidAuc,
    double ValidLogLoss,
    double SamplesPerSec,
    double Seconds);
