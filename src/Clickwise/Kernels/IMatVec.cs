namespace Clickwise.Kernels;

/// <summary>
/// Batch-1 linear layer for inference: y[out] = x[in]·weight[in, out] + bias, optionally followed by ReLU.
/// The weight has the training layout ([in, out], row-major), so one output row of W feeds all outputs at once.
/// </summary>
public interface IMatVec
{
    string Name { get; }

    /// <param name="bias">[out], or empty for no bias.</param>
    void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
                  int inputSize, int outputSize, bool relu);
}
