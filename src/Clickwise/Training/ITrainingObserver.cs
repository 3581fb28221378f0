namespace Clickwise.Training;

/// <summary>
/// Receives progress from the trainer: the CLI draws a live bar on a terminal or plain lines when piped, and
/// <see cref="MetricsJsonlWriter"/> records epochs. Called on the training thread after every step, so keep
/// OnStep cheap (throttle drawing).
/// </summary>
public interface ITrainingObserver
{
    void OnStep(in StepProgress progress);

    void OnEpoch(EpochResult result);
}
