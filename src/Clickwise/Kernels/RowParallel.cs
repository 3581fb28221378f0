using Clickwise.Kernels.Simd;

namespace Clickwise.Kernels;

/// <summary>
/// Runs a row-range body over a context's <see cref="ComputeContext.Threads"/> with fixed, ordered ranges, inline when the batch is small or
/// the pool is busy with another caller. Because the part count can thus change from call to call, a body must give
/// the same result for any split: element-wise work, or reductions whose order does not depend on the split.
/// </summary>
internal static class RowParallel
{
    public const int MinRowsPerPart = 64;

    public static void For(ComputeContext compute, int rows, IComputeJob body) => For(compute, rows, MinRowsPerPart, body);

    /// <summary>As <see cref="For(ComputeContext, int, IComputeJob)"/> with at least <paramref name="minRowsPerPart"/> rows per part.</summary>
    public static void For(ComputeContext compute, int rows, int minRowsPerPart, IComputeJob body)
    {
        int parts = Math.Min(compute.Threads, rows / Math.Max(1, minRowsPerPart));
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

    /// <summary>As <see cref="Range"/> with inner boundaries rounded down to multiples of <paramref name="align"/>.</summary>
    public static (int Start, int End) AlignedRange(int count, int part, int partCount, int align)
    {
        int start = part == 0 ? 0 : (int)((long)count * part / partCount) / align * align;
        int end = part == partCount - 1 ? count : (int)((long)count * (part + 1) / partCount) / align * align;
        return (start, end);
    }
}
