namespace Clickwise.Inference;

/// <summary>
/// Per-thread scratch of a compiled plan: one float buffer with fixed regions (offsets decided by the compiler)
/// sized for <see cref="MaxBatchSize"/> rows. Create one per worker and reuse it; it is not thread-safe.
/// </summary>
public sealed class InferenceTape
{
    internal InferenceTape(int maxBatchSize, int floatsPerRow)
    {
        MaxBatchSize = maxBatchSize;
        FloatsPerRow = floatsPerRow;
        Buffer = Models.ModelTooLargeException.Guard(() => GC.AllocateUninitializedArray<float>(checked(maxBatchSize * floatsPerRow), pinned: true),
            () => $"a batch of {maxBatchSize:N0} rows of the plan's activations ({floatsPerRow:N0} floats a row)");
    }

    public int MaxBatchSize { get; }

    internal int FloatsPerRow { get; }

    internal float[] Buffer { get; }

    /// <summary>Region [offset·B, (offset + width)·B) holding a [B, width] activation.</summary>
    internal Span<float> Region(int offsetPerRow, int width, int batchSize) =>
        Buffer.AsSpan(offsetPerRow * MaxBatchSize, width * batchSize);
}
