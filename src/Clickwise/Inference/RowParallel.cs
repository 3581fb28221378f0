using Clickwise.Kernels;
using Clickwise.Kernels.Simd;

namespace Clickwise.Inference;

/// <summary>
/// Runs a row-range body over the compute threads with fixed, ordered ranges (deterministic), inline when the
/// batch is small or the pool is busy with another caller.
/// </summary>
internal static class RowParallel
{
    public const int MinRowsPerPart = 64;

    public static void For(int rows, IComputeJob body)
    {
        int parts = Math.Min(ComputeThreads.Count, rows / MinRowsPerPart);
        ComputePool pool = ComputePool.Shared;
        if (parts <= 1 || !pool.TryEnter())
        {
            body.Run(0, 1);
            return;
        }

        try
        {
            pool.Run(body, parts);
        }
        finally
        {
            pool.Exit();
        }
    }

    /// <summary>Rows [start, end) of part <paramref name="part"/> of <paramref name="partCount"/>.</summary>
    public static (int Start, int End) Range(int rows, int part, int partCount) =>
        ((int)((long)rows * part / partCount), (int)((long)rows * (part + 1) / partCount));
}
