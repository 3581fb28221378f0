using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// Runs one list of ops for single requests and another for blocks of rows, where the compiler measured different
/// plans fastest (a pruned DNN as one compacted sub-network per row, against layer-wide dense products over a block).
/// The choice follows the request's batch size, never the row range, so a row's result does not depend on the split.
/// </summary>
internal sealed class BatchSizeSwitchOp(IInferenceOp[] forOne, IInferenceOp[] forBlocks) : IInferenceOp
{
    public long ParameterCount => forOne.Sum(o => o.ParameterCount);

    public long Bytes => forOne.Sum(o => o.Bytes) + forBlocks.Sum(o => o.Bytes);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        foreach (IInferenceOp op in batchSize == 1 ? forOne : forBlocks)
        {
            op.RunRows(tape, ids, values, extras, batchSize, rowStart, rowEnd, logits);
        }
    }

    public string Describe() =>
        $"batch 1: [{string.Join("; ", forOne.Select(o => o.Describe()))}] | blocks: [{string.Join("; ", forBlocks.Select(o => o.Describe()))}]";
}
