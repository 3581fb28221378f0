using Clickwise.Data.Readers;
using Clickwise.Training;

namespace Clickwise.Cli;

/// <summary>
/// A study verb's stderr progress: the input being read, then each member's training steps, with a line naming each
/// member as it starts. <see cref="Member"/> is the observers factory the studies take.
/// </summary>
internal sealed class StudyProgress : IDisposable
{
    private readonly string _verb;
    private readonly TrainingSteps _steps = new();
    private readonly StderrProgress? _shown;

    public StudyProgress(string verb, InputProgress input, bool quiet)
    {
        _verb = verb;
        Func<string?> inputLine = StderrProgress.InputLine($"{verb}: reading", input);
        _shown = StderrProgress.Start(() => _steps.Line() ?? inputLine(), quiet);
    }

    public IEnumerable<ITrainingObserver> Member(string tag)
    {
        _shown?.WriteLine($"training: {tag}");
        _steps.Begin($"{_verb}: {tag}");
        return [_steps];
    }

    public void Dispose() => _shown?.Dispose();
}
