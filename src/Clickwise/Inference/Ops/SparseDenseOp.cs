using System.Numerics.Tensors;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// A pruned fully connected layer y = x·W + b (ReLU optional) over its surviving weights only (<see cref="CsrMatrix"/>):
/// the compiler picks it over <see cref="DenseOp"/> when it measured faster at this layer's density.
/// </summary>
internal sealed class SparseDenseOp(CsrMatrix weight, float[] bias, bool relu, int inputOffset, int outputOffset, bool toLogits,
                                    string measured) : IBatchOp
{
    public long ParameterCount => weight.NonZeroCount + bias.LongLength;

    public long Bytes => weight.Bytes + bias.LongLength * sizeof(float);

    public void Run(InferenceTape tape, int batchSize, Span<float> logits)
    {
        ReadOnlySpan<float> x = tape.Region(inputOffset, weight.Rows, batchSize);
        Span<float> y = tape.Region(outputOffset, weight.Columns, batchSize);
        int width = weight.Columns;
        for (int b = 0; b < batchSize; b++)
        {
            bias.CopyTo(y.Slice(b * width, width));
        }

        weight.MultiplyAdd(x, y, batchSize);
        if (relu)
        {
            TensorPrimitives.Max(y[..(batchSize * width)], 0f, y);
        }

        if (toLogits)
        {
            TensorPrimitives.Add(logits[..batchSize], y[..batchSize], logits[..batchSize]);
        }
    }

    public string Describe() =>
        $"sparse dense {weight.Rows}x{weight.Columns}{(relu ? " relu" : "")} csr nnz={weight.NonZeroCount} ({weight.Density:P1}) {measured}";
}
