namespace Clickwise.Kernels;

/// <summary>
/// How many cores the compute kernels may use. Set once at start-up (CLI <c>--threads</c>); results are
/// deterministic for a given value because work is split by fixed ranges, never by work stealing.
/// </summary>
public static class ComputeThreads
{
    private static int _count = Math.Max(1, Environment.ProcessorCount);

    public static int Count
    {
        get => _count;
        set => _count = value < 1 ? throw new ArgumentOutOfRangeException(nameof(value), "threads must be >= 1") : value;
    }
}
