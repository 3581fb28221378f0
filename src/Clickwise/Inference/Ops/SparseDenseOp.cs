using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// A pruned fully connected layer y = x·W + b (ReLU optional) that runs over its surviving weights only where the
/// compiler measured that faster — single requests, blocks of rows, or both, each with the sparse format that won
/// (<see cref="SlicedEllMatrix"/>, <see cref="CsrMatrix"/>) — and through the dense op otherwise. The choice follows
/// the request's batch size, never the row range, so a row's result does not depend on how rows were split over threads.
/// </summary>
internal sealed class SparseDenseOp(ISparseMatrix? forOne, ISparseMatrix? forBlocks, float[] bias, bool relu, int inputOffset,
                                    int outputOffset, bool toLogits, DenseOp? dense, string measured) : IInferenceOp
{
    private readonly ISparseMatrix _shape = forOne ?? forBlocks ?? throw new ArgumentException("a sparse op needs a sparse path");

    public long ParameterCount => _shape.NonZeroCount + bias.LongLength;

    public long Bytes => (forOne?.Bytes ?? 0) + (forBlocks is not null && forBlocks != forOne ? forBlocks.Bytes : 0)
        + bias.LongLength * sizeof(float) + (dense?.Bytes ?? 0);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        ISparseMatrix? weight = batchSize == 1 ? forOne : forBlocks;
        if (weight is null)
        {
            dense!.RunRows(tape, ids, values, extras, batchSize, rowStart, rowEnd, logits);
            return;
        }

        int rows = rowEnd - rowStart;
        int width = weight.Columns;
        ReadOnlySpan<float> x = tape.Region(inputOffset, weight.Rows, batchSize).Slice(rowStart * weight.Rows, rows * weight.Rows);
        Span<float> y = tape.Region(outputOffset, width, batchSize).Slice(rowStart * width, rows * width);
        for (int b = 0; b < rows; b++)
        {
            bias.CopyTo(y.Slice(b * width, width));
        }

        weight.MultiplyAdd(x, y, rows);
        if (relu)
        {
            TensorPrimitives.Max(y, 0f, y);
        }

        if (toLogits)
        {
            Span<float> rowLogits = logits[rowStart..rowEnd];
            TensorPrimitives.Add(rowLogits, y, rowLogits);
        }
    }

    public string Describe() =>
        $"sparse dense {_shape.Rows}x{_shape.Columns}{(relu ? " relu" : "")} nnz={_shape.NonZeroCount} "
        + $"({_shape.NonZeroCount / ((double)_shape.Rows * _shape.Columns):P1}): "
        + $"batch 1 {forOne?.Format ?? "dense"}, blocks {forBlocks?.Format ?? "dense"} ({measured})";
}
