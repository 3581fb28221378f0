using Clickwise.Features;
using Clickwise.Interchange;
using Clickwise.Kernels;
using Clickwise.Layers;
using Clickwise.Models;

namespace Clickwise.Inference.Ops;

/// <summary>
/// The embedding gather of a model with tensor-train fields: the other fields' rows from the remaining table by mapped
/// rows (the registry's gather kernel, as in training), then each train field's rows contracted from its cores per lookup
/// (<see cref="TensorTrainEmbedding"/>, the training layer); the trains' tables are never materialised. A multi-hot
/// lookup's extra features are added multiply-then-add in entry order, table rows and train rows alike, as training pools them.
/// </summary>
internal sealed class TensorTrainGatherOp(float[] table, TensorTrainFields tensorTrain, float[][] cores, int fieldCount, int dim, int outputOffset)
    : IInferenceOp, IOnnxExportable
{
    public long ParameterCount => table.LongLength + cores.Sum(c => c.LongLength);

    public long Bytes => ParameterCount * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        Span<float> output = tape.Region(outputOffset, fieldCount * dim, batchSize);
        Span<int> rows = stackalloc int[fieldCount];
        Span<float> scratch = stackalloc float[tensorTrain.ForwardScratchLength];
        for (int b = rowStart; b < rowEnd; b++)
        {
            int start = b * fieldCount;
            ReadOnlySpan<int> rowIds = ids.Slice(start, fieldCount);
            ReadOnlySpan<float> rowValues = values.IsEmpty ? default : values.Slice(start, fieldCount);
            Span<float> rowOutput = output.Slice(start * dim, fieldCount * dim);
            ExtraLookups rowExtras = extras.Slice(start, fieldCount);
            tensorTrain.MapRows(rowIds, rows);
            KernelRegistry.Embedding.Gather(table, dim, rows, rowValues, rowOutput);
            AddExtraTableRows(rowExtras, rowOutput);
            for (int t = 0; t < cores.Length; t++)
            {
                int f = tensorTrain.Fields[t];
                TensorTrainEmbedding.Forward(cores[t], tensorTrain.Shape(f), rowIds, rowValues, !rowValues.IsEmpty, 1, fieldCount, f,
                    tensorTrain.FirstRow(f), rowOutput, scratch, rowExtras);
            }
        }
    }

    /// <summary>The extra features of one batch row's non-train lookups, v_e·table[mapped row] added in entry order.</summary>
    private void AddExtraTableRows(ExtraLookups extras, Span<float> output)
    {
        for (int n = 0; n + 1 < extras.Offsets.Length; n++)
        {
            if (tensorTrain.IsTrain(n))
            {
                continue;
            }

            Span<float> dst = output.Slice(n * dim, dim);
            for (int e = extras.Offsets[n]; e < extras.Offsets[n + 1]; e++)
            {
                ReadOnlySpan<float> row = table.AsSpan(tensorTrain.TableRow(n, extras.Ids[e]) * dim, dim);
                for (int d = 0; d < dim; d++)
                {
                    dst[d] += row[d] * extras.Values[e];
                }
            }
        }
    }

    /// <summary>Exported densely: every row of the train fields contracted once into a full [V, D] table, gathered like any table.</summary>
    public void Export(OnnxGraph graph)
    {
        FeatureLayout layout = tensorTrain.Layout;
        float[] dense = new float[(long)layout.TotalRows * dim];
        Span<float> scratch = new float[tensorTrain.ForwardScratchLength];
        for (int f = 0; f < fieldCount; f++)
        {
            int train = Array.IndexOf(tensorTrain.Fields, f);
            for (int id = layout.Offsets[f]; id < layout.Offsets[f] + layout.Sizes[f]; id++)
            {
                Span<float> row = dense.AsSpan(id * dim, dim);
                if (train < 0)
                {
                    table.AsSpan(tensorTrain.TableRow(f, id) * dim, dim).CopyTo(row);
                }
                else
                {
                    KernelRegistry.TensorTrain.Forward(cores[train], tensorTrain.Shape(f), id - layout.Offsets[f], 1f, row, scratch);
                }
            }
        }

        graph.Write(outputOffset, fieldCount * dim, graph.Reshape(graph.Lookup("embedding", dense, dim), -1, fieldCount * dim));
    }

    public string Describe() =>
        $"tensor-train embedding gather F={fieldCount} D={dim} rows={table.Length / dim} trains: "
        + string.Join("; ", tensorTrain.Fields.Select(f => $"field {f} {tensorTrain.Shape(f)}"));
}
