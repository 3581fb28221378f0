namespace Clickwise.Diagnostics;

/// <summary>Receives the end of each named phase of a training step (see <see cref="StepPhases"/>).</summary>
public interface IStepPhaseSink
{
    /// <summary>The phase <paramref name="name"/> ended now; it began at the previous mark.</summary>
    void End(string name);
}
