namespace Clickwise.Training;

/// <summary>
/// Training stopped because it diverged: the loss, or a parameter after an update, became NaN or infinite, or an
/// epoch ended far worse than any sane model (<see cref="DivergenceGuard"/>). Nothing of the diverged steps reached
/// a checkpoint, and the caller writes no model.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>A NaN/infinite loss, or (with <paramref name="parameter"/>) a parameter made non-finite by an update.</summary>
    public TrainingDivergedException(int epoch, int step, long globalStep, double loss, string? checkpointPath, string? parameter = null)
        : this(epoch, step, globalStep, loss, parameter,
            parameter is null ? $"loss is {loss}" : $"parameter '{parameter}' is not finite after the update", checkpointPath)
    {
    }

    private TrainingDivergedException(int epoch, int step, long globalStep, double loss, string? parameter, string what, string? checkpointPath)
        : base($"training stopped: {what} at epoch {epoch}, step {step} (global step {globalStep}); "
            + (checkpointPath is null ? "no checkpoint was written yet" : $"the last good checkpoint '{checkpointPath}' was kept"))
    {
        Epoch = epoch;
        Step = step;
        GlobalStep = globalStep;
        Loss = loss;
        Parameter = parameter;
    }

    /// <summary>An epoch whose finite metrics say the run diverged (<paramref name="reason"/> from <see cref="DivergenceGuard"/>).</summary>
    public static TrainingDivergedException AtEpochEnd(int epoch, int step, long globalStep, double loss, string reason, string? checkpointPath) =>
        new(epoch, step, globalStep, loss, null, $"the run diverged ({reason}; try a smaller --lr)", checkpointPath);

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>1-based step within the epoch.</summary>
    public int Step { get; }

    /// <summary>1-based step counted over the whole run.</summary>
    public long GlobalStep { get; }

    public double Loss { get; }

    /// <summary>The first non-finite parameter when the loss was still finite (a NaN gradient); null otherwise.</summary>
    public string? Parameter { get; }
}
