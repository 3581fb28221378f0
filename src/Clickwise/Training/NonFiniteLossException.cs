namespace Clickwise.Training;

/// <summary>Training stopped because the loss became NaN or infinite; the last good checkpoint was not touched.</summary>
public sealed class NonFiniteLossException(int epoch, int step, long globalStep, double loss, string? checkpointPath)
    : Exception($"training stopped: loss is {loss} at epoch {epoch}, step {step} (global step {globalStep}); "
        + (checkpointPath is null ? "no checkpoint was configured" : $"the last good checkpoint '{checkpointPath}' was kept"))
{
    /// <summary>1-based epoch.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>1-based step within the epoch.</summary>
    public int Step { get; } = step;

    /// <summary>1-based step counted over the whole run.</summary>
    public long GlobalStep { get; } = globalStep;

    public double Loss { get; } = loss;
}
