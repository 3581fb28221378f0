using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// A tensor-train field of the shared embedding (seed 002's TTD baseline, contracted FBTT's way): for the batch's ids of
/// field f only, out[b, f, :] = x[b, f] · TT row (ids[b, f] − first row of f), written into the same [B, F, D] output
/// the table gather fills for the other fields, plus Σ_e v_e · TT row (id_e − first row) over a multi-hot lookup's extra
/// features (multiply then add, in entry order, as the table's gather pools them); the cores' gradient touches only the
/// slices the batch's rows read.
/// </summary>
public static class TensorTrainEmbedding
{
    /// <param name="cores">The field's three cores (<see cref="TensorTrainShape"/>).</param>
    /// <param name="ids">[B, F] global row ids; field <paramref name="field"/>'s start at <paramref name="firstRow"/>.</param>
    /// <param name="values">[B, F] scales; ignored (treated as 1) when <paramref name="hasValues"/> is false.</param>
    /// <param name="output">[B, F, D]; only field <paramref name="field"/>'s rows are written.</param>
    /// <param name="scratch">At least <see cref="TensorTrainShape.ForwardScratchLength"/> floats.</param>
    /// <param name="extras">The extra features of the B·F lookups; empty for a one-hot batch.</param>
    public static void Forward(ReadOnlySpan<float> cores, TensorTrainShape shape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                               bool hasValues, int batchSize, int fieldCount, int field, int firstRow, Span<float> output,
                               Span<float> scratch, ExtraLookups extras = default)
    {
        int dim = shape.Dim;
        Span<float> extra = stackalloc float[extras.IsEmpty ? 0 : dim];
        for (int b = 0; b < batchSize; b++)
        {
            int slot = b * fieldCount + field;
            Span<float> row = output.Slice(slot * dim, dim);
            KernelRegistry.TensorTrain.Forward(cores, shape, ids[slot] - firstRow, hasValues ? values[slot] : 1f, row, scratch);
            if (extras.IsEmpty)
            {
                continue;
            }

            for (int e = extras.Offsets[slot]; e < extras.Offsets[slot + 1]; e++)
            {
                KernelRegistry.TensorTrain.Forward(cores, shape, extras.Ids[e] - firstRow, extras.Values[e], extra, scratch);
                for (int d = 0; d < dim; d++)
                {
                    row[d] += extra[d];
                }
            }
        }
    }

    /// <summary>dCores += ∂⟨dOutput, out⟩/∂cores over field <paramref name="field"/>'s rows of the batch.</summary>
    /// <param name="scratch">At least <see cref="TensorTrainShape.BackwardScratchLength"/> floats.</param>
    /// <param name="extras">The extra features of the B·F lookups; empty for a one-hot batch.</param>
    public static void Backward(ReadOnlySpan<float> cores, TensorTrainShape shape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                                bool hasValues, ReadOnlySpan<float> dOutput, int batchSize, int fieldCount, int field, int firstRow,
                                Span<float> dCores, Span<float> scratch, ExtraLookups extras = default)
    {
        int dim = shape.Dim;
        for (int b = 0; b < batchSize; b++)
        {
            int slot = b * fieldCount + field;
            ReadOnlySpan<float> dRow = dOutput.Slice(slot * dim, dim);
            KernelRegistry.TensorTrain.Backward(cores, shape, ids[slot] - firstRow, hasValues ? values[slot] : 1f, dRow, dCores, scratch);
            if (extras.IsEmpty)
            {
                continue;
            }

            for (int e = extras.Offsets[slot]; e < extras.Offsets[slot + 1]; e++)
            {
                KernelRegistry.TensorTrain.Backward(cores, shape, extras.Ids[e] - firstRow, extras.Values[e], dRow, dCores, scratch);
            }
        }
    }
}
