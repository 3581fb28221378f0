namespace Clickwise.Training;

/// <summary>
/// Training stopped because the loss, or a parameter after an update, became NaN or infinite; the last good
/// checkpoint was not touched.
/// </summary>
public sealed class NonFiniteLossException : Exception
{
    public NonFiniteLossException(int epoch, int step, long globalStep, double loss, string? checkpointPath, string? parameter = null)
        : base($"training stopped: {(parameter is null ? $"loss is {loss}" : $"parameter '{parameter}' is not finite after the update")}"
            + $" at epoch {epoch}, step {step} (global step {globalStep}); "
            + (checkpointPath is null ? "no checkpoint was configured" : $"the last good checkpoint '{checkpointPath}' was kept"))
    {
        Epoch = epoch;
        Step = step;
        GlobalStep = globalStep;
        Loss = loss;
        Parameter = parameter;
    }

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
