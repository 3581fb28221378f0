namespace Clickwise.Kernels;

/// <summary>A pruned weight matrix W [in, out] stored by its surviving weights, applied as y += x·W.</summary>
public interface ISparseMatrix
{
    int Rows { get; }

    int Columns { get; }

    int NonZeroCount { get; }

    long Bytes { get; }

    /// <summary>Short name of the storage format, as plans describe it.</summary>
    string Format { get; }

    /// <summary>y[b, :] += x[b, :]·W for <paramref name="batchSize"/> rows; x [B, Rows], y [B, Columns].</summary>
    void MultiplyAdd(ReadOnlySpan<float> x, Span<float> y, int batchSize);
}
