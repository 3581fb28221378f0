namespace Clickwise.Diagnostics;

/// <summary>
/// Receives the end of each named phase of a training step (a profiler): the model, its parts and the optimizer mark
/// the end of each phase through their <see cref="Kernels.ComputeContext.EndPhase"/>, and the sink attributes the time
/// since the previous mark to it. Names are string literals or strings built once, so marking allocates nothing.
/// </summary>
public interface IStepPhaseSink
{
    /// <summary>The phase <paramref name="name"/> ended now; it began at the previous mark.</summary>
    void End(string name);
}
