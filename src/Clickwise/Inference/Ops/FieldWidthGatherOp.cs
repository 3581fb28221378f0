using Clickwise.Kernels;
using Clickwise.Models;

namespace Clickwise.Inference.Ops;

/// <summary>
/// Gathers [B, F, D] embeddings (scaled by the feature values, multi-hot fields pooled) from OptEmbed's compact table
/// (<see cref="FieldWidthTable"/>): zero-padded past each field's width, pruned ids as zeros or their field's OOV row.
/// </summary>
internal sealed class FieldWidthGatherOp(FieldWidthTable table, int outputOffset) : IInferenceOp
{
    public long ParameterCount => table.Values.Length;

    public long Bytes => table.Bytes;

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int dim = table.Dim, fields = table.FieldCount;
        Span<float> output = tape.Region(outputOffset, fields * dim, batchSize);
        // Each lookup is located once, CachePrefetch.Distance lookups ahead, and its values prefetched; the ring holds the
        // locations until the copy reaches them.
        const int distance = CachePrefetch.Distance;
        Span<int> located = stackalloc int[distance];
        int first = rowStart * fields, end = rowEnd * fields;
        for (int i = first; i < Math.Min(end, first + distance); i++)
        {
            located[i % distance] = table.Start(ids[i], i % fields);
            table.Prefetch(located[i % distance], i % fields);
        }

        for (int b = rowStart; b < rowEnd; b++)
        {
            for (int f = 0, i = b * fields; f < fields; f++, i++)
            {
                int start = located[i % distance];
                int ahead = i + distance;
                if (ahead < end)
                {
                    located[ahead % distance] = table.Start(ids[ahead], ahead % fields);
                    table.Prefetch(located[ahead % distance], ahead % fields);
                }

                Span<float> row = output.Slice(i * dim, dim);
                table.CopyAt(start, f, values.IsEmpty ? 1f : values[i], row);
                if (!extras.IsEmpty)
                {
                    for (int e = extras.Offsets[i]; e < extras.Offsets[i + 1]; e++)
                    {
                        table.AddRow(extras.Ids[e], f, extras.Values[e], row);
                    }
                }
            }
        }
    }

    public string Describe() =>
        $"field-width embedding gather F={table.FieldCount} D={table.Dim} widths=[{string.Join(",", table.FieldDims)}] kept rows={table.KeptRows.Sum()}";
}
