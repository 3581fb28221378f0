using Clickwise.Training;
using Spectre.Console;

namespace Clickwise.Cli;

/// <summary>
/// Training progress for people: a live Spectre.Console bar (samples/s, ETA) when stdout is a terminal,
/// plain per-epoch lines (xLearn style) when it is piped, nothing but the final report with --quiet.
/// </summary>
internal static class ConsoleProgress
{
    public static T Run<T>(bool quiet, Func<IEnumerable<ITrainingObserver>, T> work)
    {
        if (quiet)
        {
            return work([]);
        }

        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return work([new PlainLines()]);
        }

        T result = default!;
        LiveBar? bar = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                bar = new LiveBar(context);
                result = work([bar]);
                bar.Finish();
            });
        var lines = new PlainLines();
        foreach (EpochResult epoch in bar?.Epochs ?? [])
        {
            lines.OnEpoch(epoch);
        }

        return result;
    }

    private sealed class PlainLines : ITrainingObserver
    {
        public void OnStep(in StepProgress progress)
        {
        }

        public void OnEpoch(EpochResult result) =>
            Console.WriteLine($"epoch {result.Epoch}: train logloss {result.TrainLoss:F5}  valid AUC {result.ValidAuc:F5}  "
                + $"valid logloss {result.ValidLogLoss:F5}  {result.SamplesPerSec:N0} samples/s  {result.Seconds:F1} s");
    }

    private sealed class LiveBar(ProgressContext context) : ITrainingObserver
    {
        public List<EpochResult> Epochs { get; } = [];

        private ProgressTask? _task;
        private int _epoch;

        public void OnStep(in StepProgress progress)
        {
            if (_task is null || progress.Epoch != _epoch)
            {
                _task?.StopTask();
                _epoch = progress.Epoch;
                _task = context.AddTask($"epoch {progress.Epoch}/{progress.Epochs}", maxValue: progress.StepsPerEpoch);
            }

            _task.Value = progress.Step;
            _task.Description = $"epoch {progress.Epoch}/{progress.Epochs}  loss {progress.Loss:F4}  {progress.SamplesPerSec:N0} samples/s  ETA {progress.Eta:hh\\:mm\\:ss}";
            context.Refresh();
        }

        public void OnEpoch(EpochResult result)
        {
            // The finished epoch's bar keeps its line with a short summary (lines written while the live display
            // renders would be overdrawn); the full lines are printed once the display has closed.
            Epochs.Add(result);
            if (_task is not null)
            {
                _task.Description = $"epoch {result.Epoch} AUC {result.ValidAuc:F4} ll {result.ValidLogLoss:F4}";
                _task.StopTask();
                context.Refresh();
            }

            _task = null;
        }

        public void Finish() => _task?.StopTask();
    }
}
