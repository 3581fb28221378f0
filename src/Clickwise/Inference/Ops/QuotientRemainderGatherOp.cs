using Clickwise.Interchange;
using Clickwise.Kernels;
using Clickwise.Models;

namespace Clickwise.Inference.Ops;

/// <summary>
/// The embedding gather of a model with quotient-remainder fields: every lookup's table row by mapped rows (the registry's
/// gather kernel, as in training; a quotient-remainder lookup's quotient row), then each quotient-remainder lookup's
/// remainder row joined in (<see cref="QuotientRemainderFields.Forward"/>, the training step); the full table is never
/// materialised. One feature per field, as in training.
/// </summary>
internal sealed class QuotientRemainderGatherOp(float[] table, QuotientRemainderFields fields, int dim, int outputOffset)
    : IInferenceOp, IOnnxExportable
{
    private readonly int _fieldCount = fields.Layout.FieldCount;

    public long ParameterCount => table.LongLength;

    public long Bytes => ParameterCount * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        if (!extras.IsEmpty)
        {
            throw new NotSupportedException("embedding_qr_collisions needs one feature per field; this batch has multi-hot fields.");
        }

        Span<float> output = tape.Region(outputOffset, _fieldCount * dim, batchSize);
        Span<int> rows = stackalloc int[_fieldCount];
        for (int b = rowStart; b < rowEnd; b++)
        {
            int start = b * _fieldCount;
            ReadOnlySpan<int> rowIds = ids.Slice(start, _fieldCount);
            ReadOnlySpan<float> rowValues = values.IsEmpty ? default : values.Slice(start, _fieldCount);
            Span<float> rowOutput = output.Slice(start * dim, _fieldCount * dim);
            fields.MapRows(rowIds, rows);
            KernelRegistry.Embedding.Gather(table, dim, rows, rowValues, rowOutput);
            fields.Forward(table, dim, rowIds, rowValues, 1, rowOutput);
        }
    }

    /// <summary>Exported densely: the full [V, D] table the quotient and remainder rows stand for, gathered like any table.</summary>
    public void Export(OnnxGraph graph) =>
        graph.Write(outputOffset, _fieldCount * dim, graph.Reshape(graph.Lookup("embedding", fields.Expand(table, dim), dim), -1, _fieldCount * dim));

    public string Describe() =>
        $"quotient-remainder embedding gather F={_fieldCount} D={dim} rows={table.Length / dim} fields: "
        + string.Join("; ", fields.Fields.Select(f => $"field {f} {fields.Describe(f, dim)}"));
}
