using Clickwise.Training;

namespace Clickwise.Cli;

/// <summary>
/// The latest step of the training run in progress, as a <see cref="StderrProgress"/> line: <c>compare</c> and
/// <c>deeplight</c> train many runs one after another and show the current one.
/// </summary>
internal sealed class TrainingSteps : ITrainingObserver
{
    private readonly Lock _gate = new();
    private string? _label;
    private StepProgress? _last;

    public void Begin(string label)
    {
        lock (_gate)
        {
            _label = label;
            _last = null;
        }
    }

    public void OnStep(in StepProgress progress)
    {
        lock (_gate)
        {
            _last = progress;
        }
    }

    public void OnEpoch(EpochResult result)
    {
    }

    /// <summary>The run's line; null before the first run begins.</summary>
    public string? Line()
    {
        lock (_gate)
        {
            return _label is null ? null : _last is { } step ? ProgressLine.Training(_label, step) : $"{_label}: starting";
        }
    }
}
