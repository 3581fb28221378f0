using Clickwise.Kernels;
using Clickwise.Models;

namespace Clickwise.Inference.Ops;

/// <summary>
/// The embedding gather of a model with tensor-train fields: the other fields' rows from the remaining table by mapped
/// rows (the registry's gather kernel, as in training), then each train field's rows contracted from its cores per lookup
/// (<see cref="TensorTrainRows"/>, the training layer's kernel); the trains' tables are never materialised.
/// </summary>
internal sealed class TensorTrainGatherOp(float[] table, TensorTrainFields tensorTrain, float[][] cores, int fieldCount, int dim, int outputOffset)
    : IInferenceOp
{
    public long ParameterCount => table.LongLength + cores.Sum(c => c.LongLength);

    public long Bytes => ParameterCount * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        EmbeddingPart.RefuseMultiHot(extras);
        Span<float> output = tape.Region(outputOffset, fieldCount * dim, batchSize);
        Span<int> rows = stackalloc int[fieldCount];
        Span<float> scratch = stackalloc float[tensorTrain.ForwardScratchLength];
        for (int b = rowStart; b < rowEnd; b++)
        {
            int start = b * fieldCount;
            ReadOnlySpan<int> rowIds = ids.Slice(start, fieldCount);
            ReadOnlySpan<float> rowValues = values.IsEmpty ? default : values.Slice(start, fieldCount);
            Span<float> rowOutput = output.Slice(start * dim, fieldCount * dim);
            tensorTrain.MapRows(rowIds, rows);
            KernelRegistry.Embedding.Gather(table, dim, rows, rowValues, rowOutput);
            for (int t = 0; t < cores.Length; t++)
            {
                int f = tensorTrain.Fields[t];
                TensorTrainRows.Forward(cores[t], tensorTrain.Shape(f), rowIds[f] - tensorTrain.FirstRow(f), rowValues.IsEmpty ? 1f : rowValues[f],
                    rowOutput.Slice(f * dim, dim), scratch);
            }
        }
    }

    public string Describe() =>
        $"tensor-train embedding gather F={fieldCount} D={dim} rows={table.Length / dim} trains: "
        + string.Join("; ", tensorTrain.Fields.Select(f => $"field {f} {tensorTrain.Shape(f)}"));
}
