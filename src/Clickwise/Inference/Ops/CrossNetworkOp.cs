using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// A cross network x_{l+1} = f_l(x_0, x_l) over the embedding region, then the cross half of the combination unit,
/// logit += x_L·w. Rows are independent, so it runs per block like every op: x_l ping-pongs between two [B, X] tape
/// regions and each layer kind gets a [B, scratch] region for its intermediates, so nothing is allocated per call.
/// </summary>
internal sealed class CrossNetworkOp(ICrossInferenceLayer[] layers, float[] outputWeight, int width, int x0Offset, int stateOffsetA,
                                     int stateOffsetB, int scratchOffset, int scratchWidth, string kind) : IInferenceOp, IOnnxExportable
{
    public long ParameterCount => layers.Sum(l => l.ParameterCount) + outputWeight.LongLength;

    public long Bytes => layers.Sum(l => l.Bytes) + outputWeight.LongLength * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int rows = rowEnd - rowStart, start = rowStart * width, n = rows * width;
        ReadOnlySpan<float> x0 = tape.Region(x0Offset, width, batchSize).Slice(start, n);
        Span<float> a = tape.Region(stateOffsetA, width, batchSize).Slice(start, n);
        Span<float> b = tape.Region(stateOffsetB, width, batchSize).Slice(start, n);
        Span<float> scratch = tape.Region(scratchOffset, scratchWidth, batchSize).Slice(rowStart * scratchWidth, rows * scratchWidth);
        ReadOnlySpan<float> input = x0;
        for (int l = 0; l < layers.Length; l++)
        {
            Span<float> output = l % 2 == 0 ? a : b;
            layers[l].Run(x0, input, rows, scratch, output, batchSize == 1);
            input = output;
        }

        for (int r = 0; r < rows; r++)
        {
            logits[rowStart + r] += TensorPrimitives.Dot(input.Slice(r * width, width), outputWeight);
        }
    }

    public void Export(OnnxGraph graph)
    {
        string x0 = graph.Read(x0Offset, width), x = x0;
        foreach (ICrossInferenceLayer layer in layers)
        {
            x = layer.Export(graph, x0, x);
        }

        graph.AddToLogits(graph.Dot(x, outputWeight));
    }

    public string Describe() => $"cross {kind} L={layers.Length} X={width}";
}
