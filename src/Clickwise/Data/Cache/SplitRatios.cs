namespace Clickwise.Data.Cache;

/// <summary>
/// Fractions of rows for train, valid and test; they must sum to 1. The default 0.8/0.1/0.1 is the seeds' Criteo
/// 90/10 split with a validation tenth carved from train.
/// </summary>
public sealed record SplitRatios(double Train = 0.8, double Valid = 0.1, double Test = 0.1)
{
    public static SplitRatios Default { get; } = new();

    public void Validate()
    {
        if (!(Train >= 0 && Valid >= 0 && Test >= 0) || Math.Abs(Train + Valid + Test - 1) > 1e-9)
        {
            throw new ArgumentException($"split ratios must be non-negative and sum to 1, got {Train}/{Valid}/{Test}");
        }
    }
}
