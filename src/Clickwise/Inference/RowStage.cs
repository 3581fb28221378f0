using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;

namespace Clickwise.Inference;

/// <summary>
/// Consecutive row-independent ops run as one stage: rows split into fixed ranges over the compute threads
/// (one range per thread, in order), so a large batch uses every core and each row's result is the same
/// whatever the split. Small batches, and calls while the pool is busy (another caller's GEMM), run inline.
/// </summary>
internal sealed class RowStage(IRowOp[] ops)
{
    public IReadOnlyList<IRowOp> Ops => ops;

    public unsafe void Run(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, Span<float> logits)
    {
        if (batchSize < 2 * RowParallel.MinRowsPerPart)
        {
            foreach (IRowOp op in ops)
            {
                op.RunRows(tape, ids, values, batchSize, 0, batchSize, logits);
            }

            return;
        }

        fixed (int* idsPointer = ids)
        fixed (float* valuesPointer = values)
        fixed (float* logitsPointer = logits)
        {
            RowParallel.For(batchSize, new Job(ops, tape, idsPointer, ids.Length, valuesPointer, values.Length, logitsPointer,
                logits.Length, batchSize));
        }
    }

    private sealed unsafe class Job(IRowOp[] ops, InferenceTape tape, int* ids, int idsLength, float* values, int valuesLength,
                                    float* logits, int logitsLength, int batchSize) : IComputeJob
    {
        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.Range(batchSize, part, partCount);
            var idSpan = new ReadOnlySpan<int>(ids, idsLength);
            var valueSpan = new ReadOnlySpan<float>(values, valuesLength);
            var logitSpan = new Span<float>(logits, logitsLength);
            foreach (IRowOp op in ops)
            {
                op.RunRows(tape, idSpan, valueSpan, batchSize, start, end, logitSpan);
            }
        }
    }
}
