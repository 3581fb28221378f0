namespace Clickwise.Inference.Ops;

/// <summary>
/// An op whose rows are independent (gathers, field interactions): the compiler runs consecutive row ops as one
/// stage split over the cores by fixed row ranges, so large batches use every core and results do not depend
/// on the split.
/// </summary>
internal interface IRowOp : IInferenceOp
{
    /// <summary>Runs rows [rowStart, rowEnd) of a [B, F] batch; tape regions are indexed by the batch row.</summary>
    void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, int rowStart, int rowEnd,
                 Span<float> logits);
}
