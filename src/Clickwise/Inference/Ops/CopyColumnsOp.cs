using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// Copies a [B, in] region into columns [0, in) of a wider [B, out] region: the tape has one row stride per region,
/// so a concatenated layer input (PNN's [e ‖ products]) needs its first block copied in.
/// </summary>
internal sealed class CopyColumnsOp(int inputOffset, int inputWidth, int outputOffset, int outputWidth) : IInferenceOp, IOnnxExportable
{
    public long ParameterCount => 0;

    public long Bytes => 0;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        ReadOnlySpan<float> input = tape.Region(inputOffset, inputWidth, batchSize);
        Span<float> output = tape.Region(outputOffset, outputWidth, batchSize);
        for (int b = rowStart; b < rowEnd; b++)
        {
            input.Slice(b * inputWidth, inputWidth).CopyTo(output.Slice(b * outputWidth, inputWidth));
        }
    }

    public void Export(OnnxGraph graph) => graph.Write(outputOffset, inputWidth, graph.Read(inputOffset, inputWidth));

    public string Describe() => $"copy {inputWidth} into {outputWidth} columns";
}
