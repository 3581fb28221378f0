using System.Runtime.CompilerServices;

namespace Clickwise.Diagnostics;

/// <summary>
/// Optional per-phase timing of a training step: the model and optimizer mark the end of each phase by name, and a
/// sink (the benchmark's profiler) attributes the time since the previous mark to it. Without a sink a mark costs
/// one static read. Names are string literals or strings built once, so marking allocates nothing.
/// </summary>
public static class StepPhases
{
    public static IStepPhaseSink? Sink { get; set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void End(string name) => Sink?.End(name);
}
