namespace Clickwise.Training;

/// <summary>Progress after one optimizer step; epochs and steps are 1-based, Loss is the epoch's running mean.</summary>
public readonly record struct StepProgress(
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    long GlobalStep,
    double Loss,
    double SamplesPerSec,
    TimeSpan Elapsed,
    TimeSpan Eta);
