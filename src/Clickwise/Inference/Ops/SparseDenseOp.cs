using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// A pruned fully connected layer y = x·W + b (ReLU optional) that runs over its surviving weights only
/// (<see cref="CsrMatrix"/>) where the compiler measured that faster — single requests, blocks of rows, or both —
/// and through the dense op otherwise. The choice follows the request's batch size, never the row range, so a
/// row's result does not depend on how rows were split over threads.
/// </summary>
internal sealed class SparseDenseOp(CsrMatrix weight, float[] bias, bool relu, int inputOffset, int outputOffset, bool toLogits,
                                    DenseOp? dense, bool sparseForOne, bool sparseForBlocks, string measured) : IInferenceOp
{
    public long ParameterCount => weight.NonZeroCount + bias.LongLength;

    public long Bytes => weight.Bytes + bias.LongLength * sizeof(float) + (dense?.Bytes ?? 0);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, int rowStart, int rowEnd,
                        Span<float> logits)
    {
        if (!(batchSize == 1 ? sparseForOne : sparseForBlocks))
        {
            dense!.RunRows(tape, ids, values, batchSize, rowStart, rowEnd, logits);
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
        $"sparse dense {weight.Rows}x{weight.Columns}{(relu ? " relu" : "")} nnz={weight.NonZeroCount} ({weight.Density:P1}): "
        + $"batch 1 {(sparseForOne ? "csr" : "dense")}, blocks {(sparseForBlocks ? "csr" : "dense")} ({measured})";
}
