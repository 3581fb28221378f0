using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// Writes each field's lead values (when given: [B, F, lead], FNN's first-order weights) and first D_f dimensions of a
/// zero-padded [B, F, D] region into the front of a packed region's rows, so a DNN over OptEmbed's field widths multiplies
/// only the dimensions that exist (<see cref="PlanBuilder.FirstLayer"/>). Columns past the packed fields (PNN's products)
/// are other ops' to write.
/// </summary>
internal sealed class PackFieldsOp(FieldWidthEmbeddings layout, int embeddingOffset, int leadOffset, int outputOffset) : IInferenceOp
{
    public long ParameterCount => 0;

    public long Bytes => 0;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int[] fieldDims = layout.FieldDims;
        int fields = fieldDims.Length, dim = layout.Dim, lead = layout.Lead, padded = fields * dim;
        Span<float> input = tape.Region(embeddingOffset, padded, batchSize);
        Span<float> leads = lead > 0 ? tape.Region(leadOffset, fields * lead, batchSize) : default;
        Span<float> output = tape.Region(outputOffset, layout.PackedWidth, batchSize);
        for (int b = rowStart; b < rowEnd; b++)
        {
            int to = b * layout.PackedWidth;
            for (int f = 0; f < fields; f++)
            {
                // Loops, not Span.CopyTo: the copies are a few floats each, shorter than a memmove call costs.
                for (int l = 0, from = ((b * fields) + f) * lead; l < lead; l++)
                {
                    output[to++] = leads[from + l];
                }

                for (int d = 0, from = (b * padded) + (f * dim); d < fieldDims[f]; d++)
                {
                    output[to++] = input[from + d];
                }
            }
        }
    }

    public string Describe() =>
        $"pack field widths F={layout.FieldDims.Length} D={layout.Dim}{(layout.Lead > 0 ? $" lead={layout.Lead}" : "")} into {layout.PackedWidth - layout.Extra}"
        + (layout.Extra > 0 ? $" of {layout.PackedWidth}" : "");
}
