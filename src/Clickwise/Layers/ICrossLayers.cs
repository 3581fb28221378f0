using Clickwise.Inference.Ops;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// One kind of cross layer, x_{l+1} = f_l(x_0, x_l), for every layer l of a <see cref="CrossNetwork"/>. An
/// implementation owns the parameters of all its layers and, per layer, the activations its backward needs; the
/// network owns the layer inputs and the gradient buffers that flow between layers.
/// </summary>
public interface ICrossLayers
{
    /// <summary>X, the width of x_0 and of every x_l.</summary>
    int Width { get; }

    int LayerCount { get; }

    int MaxBatchSize { get; }

    /// <summary>Plans every layer's activations for batches of up to <paramref name="maxBatchSize"/> rows.</summary>
    void Prepare(int maxBatchSize, ComputeContext compute);

    /// <summary>The layer kind as a compiled plan describes it (dcn, dcnv2, dcnv2 mixture …, gdcn).</summary>
    string Kind { get; }

    /// <summary>Layer <paramref name="layer"/> in evaluation form, over the same weights.</summary>
    internal ICrossInferenceLayer Lower(int layer, ComputeContext compute);

    /// <param name="x0">[B, X].</param>
    /// <param name="input">[B, X], x_l (x_0 itself at layer 0).</param>
    /// <param name="output">[B, X], x_{l+1}, overwritten.</param>
    void Forward(int layer, ReadOnlySpan<float> x0, ReadOnlySpan<float> input, int batchSize, Span<float> output);

    /// <summary>
    /// Accumulates into <paramref name="dX0"/>, <paramref name="dInput"/> and the layer's parameter gradients. The two
    /// input gradients may be the same span (layer 0, whose input is x_0), so an implementation only ever adds to them.
    /// </summary>
    void Backward(int layer, ReadOnlySpan<float> x0, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
                  Span<float> dX0, Span<float> dInput);
}
