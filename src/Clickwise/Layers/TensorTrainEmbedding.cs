using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// A tensor-train field of the shared embedding (seed 002's TTD baseline, contracted FBTT's way): for the batch's ids of
/// field f only, out[b, f, :] = x[b, f] · TT row (ids[b, f] − first row of f), written into the same [B, F, D] output
/// the table gather fills for the other fields; the cores' gradient touches only the slices the batch's rows read.
/// </summary>
public static class TensorTrainEmbedding
{
    /// <param name="cores">The field's three cores (<see cref="TensorTrainShape"/>).</param>
    /// <param name="ids">[B, F] global row ids; field <paramref name="field"/>'s start at <paramref name="firstRow"/>.</param>
    /// <param name="values">[B, F] scales; ignored (treated as 1) when <paramref name="hasValues"/> is false.</param>
    /// <param name="output">[B, F, D]; only field <paramref name="field"/>'s rows are written.</param>
    /// <param name="scratch">At least <see cref="TensorTrainShape.ForwardScratchLength"/> floats.</param>
    public static void Forward(ReadOnlySpan<float> cores, TensorTrainShape shape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                               bool hasValues, int batchSize, int fieldCount, int field, int firstRow, Span<float> output,
                               Span<float> scratch)
    {
        int dim = shape.Dim;
        for (int b = 0; b < batchSize; b++)
        {
            int slot = b * fieldCount + field;
            TensorTrainRows.Forward(cores, shape, ids[slot] - firstRow, hasValues ? values[slot] : 1f, output.Slice(slot * dim, dim), scratch);
        }
    }

    /// <summary>dCores += ∂⟨dOutput, out⟩/∂cores over field <paramref name="field"/>'s rows of the batch.</summary>
    /// <param name="scratch">At least <see cref="TensorTrainShape.BackwardScratchLength"/> floats.</param>
    public static void Backward(ReadOnlySpan<float> cores, TensorTrainShape shape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values,
                                bool hasValues, ReadOnlySpan<float> dOutput, int batchSize, int fieldCount, int field, int firstRow,
                                Span<float> dCores, Span<float> scratch)
    {
        int dim = shape.Dim;
        for (int b = 0; b < batchSize; b++)
        {
            int slot = b * fieldCount + field;
            TensorTrainRows.Backward(cores, shape, ids[slot] - firstRow, hasValues ? values[slot] : 1f, dOutput.Slice(slot * dim, dim),
                dCores, scratch);
        }
    }
}
