using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// Copies each field's first D_f dimensions of a zero-padded [B, F, D] region into a packed [B, Σ D_f] one, so a DNN
/// over OptEmbed's field widths multiplies only the dimensions that exist (<see cref="PlanBuilder.FirstLayer"/>).
/// </summary>
internal sealed class PackFieldsOp(int[] fieldDims, int dim, int inputOffset, int outputOffset) : IInferenceOp
{
    private readonly int _packedWidth = fieldDims.Sum();

    public long ParameterCount => 0;

    public long Bytes => 0;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int padded = fieldDims.Length * dim;
        Span<float> input = tape.Region(inputOffset, padded, batchSize);
        Span<float> output = tape.Region(outputOffset, _packedWidth, batchSize);
        for (int b = rowStart; b < rowEnd; b++)
        {
            int to = b * _packedWidth;
            for (int f = 0; f < fieldDims.Length; f++)
            {
                // A loop, not Span.CopyTo: the copies are a few floats each, shorter than a memmove call costs.
                int from = (b * padded) + (f * dim);
                for (int d = 0; d < fieldDims[f]; d++)
                {
                    output[to++] = input[from + d];
                }
            }
        }
    }

    public string Describe() => $"pack field widths F={fieldDims.Length} D={dim} into {_packedWidth}";
}
