namespace Clickwise.Kernels;

/// <summary>
/// One row of a tensor-train table (<see cref="TensorTrainShape"/>) without the table: row = x·G1[i1]·G2[i2]·G3[i3], a
/// chain of three small matrix products, and its backward into the three slices it read (FBTT's per-row contraction,
/// so a batch costs its rows, not the vocabulary). The training layer (<see cref="Layers.TensorTrainEmbedding"/>) and the
/// compiled plan's gather call the registry's variant.
/// </summary>
public interface ITensorTrainKernel
{
    string Name { get; }

    /// <summary>output [D] = <paramref name="scale"/> · the train's row <paramref name="row"/>.</summary>
    /// <param name="scratch">At least <see cref="TensorTrainShape.ForwardScratchLength"/> floats.</param>
    void Forward(ReadOnlySpan<float> cores, TensorTrainShape shape, int row, float scale, Span<float> output, Span<float> scratch);

    /// <summary>
    /// Accumulates into <paramref name="dCores"/> (laid out like the cores) the gradient of ⟨dOutput, scale · row⟩: only
    /// the three slices row <paramref name="row"/> reads change.
    /// </summary>
    /// <param name="scratch">At least <see cref="TensorTrainShape.BackwardScratchLength"/> floats.</param>
    void Backward(ReadOnlySpan<float> cores, TensorTrainShape shape, int row, float scale, ReadOnlySpan<float> dOutput, Span<float> dCores,
                  Span<float> scratch);
}
