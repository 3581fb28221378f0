using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// One step of a compiled plan. Ops read and write regions of the caller's <see cref="InferenceTape"/> and add
/// their contribution to the logits; they hold only immutable weights, so one plan serves many threads. Every op
/// is row-independent (gathers, field interactions, dense layers), so the plan runs all of them over one block of
/// rows at a time, each thread on its own fixed range, and results do not depend on the split.
/// </summary>
internal interface IInferenceOp
{
    /// <summary>Parameters the op holds (for reports).</summary>
    long ParameterCount { get; }

    /// <summary>Bytes of weights the op holds in memory.</summary>
    long Bytes { get; }

    /// <summary>Short description for <c>inspect</c>: kind, shape, kernel.</summary>
    string Describe();

    /// <summary>
    /// Runs rows [rowStart, rowEnd) of a [B, F] batch; tape regions are indexed by the batch row. <paramref name="extras"/>
    /// holds the further features of multi-hot fields (empty for one-hot input), which every gather pools.
    /// </summary>
    void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                 int rowStart, int rowEnd, Span<float> logits);
}
