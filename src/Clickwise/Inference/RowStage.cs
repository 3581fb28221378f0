using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;

namespace Clickwise.Inference;

/// <summary>
/// Runs a plan's ops over a batch: rows split into fixed ranges over the context's threads (one range per thread,
/// in order), and each thread runs every op over blocks of at most <see cref="ComputeContext.InferenceBlockRows"/> of
/// its rows before moving on,
/// so a block's activations stay in the core's L2 between layers instead of round-tripping through L3 per op.
/// Each row's result is the same whatever the split. Small batches, and calls while the pool is busy (another
/// caller's GEMM), run inline.
/// </summary>
/// <remarks>
/// The weights (1.9 MB for three 400-wide layers) are re-read from L3 once per block, so a thread's rows are cut into
/// as few blocks as the block rows allow, of equal size rounded up to a multiple of every GEMM tile height (12, 6, 4):
/// only the last block has a partial row tile.
/// </remarks>
internal sealed class RowStage(IInferenceOp[] ops, ComputeContext compute)
{
    private const int TileRowsMultiple = 12;

    private readonly int _blockRows = compute.InferenceBlockRows;

    public unsafe void Run(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                           Span<float> logits)
    {
        if (batchSize < 2 * RowParallel.MinRowsPerPart)
        {
            RunBlocks(ops, _blockRows, tape, ids, values, extras, batchSize, 0, batchSize, logits);
            return;
        }

        fixed (int* idsPointer = ids)
        fixed (float* valuesPointer = values)
        fixed (int* offsetsPointer = extras.Offsets)
        fixed (int* extraIdsPointer = extras.Ids)
        fixed (float* extraValuesPointer = extras.Values)
        fixed (float* logitsPointer = logits)
        {
            var input = new Input(idsPointer, ids.Length, valuesPointer, values.Length, offsetsPointer, extras.Offsets.Length, extraIdsPointer,
                extraValuesPointer, extras.Ids.Length);
            RowParallel.For(compute, batchSize, new Job(ops, _blockRows, tape, input, logitsPointer, logits.Length, batchSize));
        }
    }

    private static void RunBlocks(IInferenceOp[] ops, int blockRows, InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                                  ExtraLookups extras, int batchSize, int start, int end, Span<float> logits)
    {
        int blocks = Math.Max(1, (end - start + blockRows - 1) / blockRows);
        int block = ((end - start + blocks - 1) / blocks + TileRowsMultiple - 1) / TileRowsMultiple * TileRowsMultiple;
        for (int blockStart = start; blockStart < end; blockStart += block)
        {
            int blockEnd = Math.Min(end, blockStart + block);
            foreach (IInferenceOp op in ops)
            {
                op.RunRows(tape, ids, values, extras, batchSize, blockStart, blockEnd, logits);
            }
        }
    }

    /// <summary>The batch's pinned spans, for the pool's threads (spans cannot be captured).</summary>
    private readonly unsafe struct Input(int* ids, int idsLength, float* values, int valuesLength, int* offsets, int offsetsLength,
                                         int* extraIds, float* extraValues, int extraLength)
    {
        private readonly int* _ids = ids;
        private readonly float* _values = values;
        private readonly int* _offsets = offsets;
        private readonly int* _extraIds = extraIds;
        private readonly float* _extraValues = extraValues;

        public ReadOnlySpan<int> Ids => new(_ids, idsLength);

        public ReadOnlySpan<float> Values => new(_values, valuesLength);

        public ExtraLookups Extras => new(new ReadOnlySpan<int>(_offsets, offsetsLength), new ReadOnlySpan<int>(_extraIds, extraLength),
            new ReadOnlySpan<float>(_extraValues, extraLength));
    }

    private sealed unsafe class Job(IInferenceOp[] ops, int blockRows, InferenceTape tape, Input input, float* logits, int logitsLength,
                                    int batchSize) : IComputeJob
    {
        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.Range(batchSize, part, partCount);
            RunBlocks(ops, blockRows, tape, input.Ids, input.Values, input.Extras, batchSize, start, end, new Span<float>(logits, logitsLength));
        }
    }
}
