namespace Clickwise.Training;

/// <summary>Where a finished training step stands: its epoch, its place in the epoch, and the global count.</summary>
public readonly record struct StepInfo(int Epoch, int EpochCount, int StepInEpoch, int StepsPerEpoch, long GlobalStep)
{
    public bool IsLastInEpoch => StepInEpoch == StepsPerEpoch;

    public bool IsLastOfRun => IsLastInEpoch && Epoch == EpochCount;
}
