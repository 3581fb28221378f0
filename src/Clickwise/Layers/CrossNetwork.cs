using Clickwise.Inference;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// A stack of L cross layers x_{l+1} = f_l(x_0, x_l) over [B, X]: x_0 is the flattened embeddings (plus dense
/// features), the output is x_L. Owns the intermediate x_l and the gradients passed between layers, planned for the
/// maximum batch; the layer kind (<see cref="DcnCrossLayers"/>, <see cref="DcnV2CrossLayers"/>,
/// <see cref="DcnV2MixtureCrossLayers"/>, <see cref="GatedCrossLayers"/>) owns the parameters.
/// </summary>
/// <remarks>
/// The recursion and its stacking are those of DCN (Wang et al., "Deep &amp; Cross Network for Ad Click Predictions",
/// ADKDD 2017, eq. 3), shared by DCNv2 (Wang et al., WWW 2021, eq. 1) and GDCN (Wang et al., CIKM 2023, eq. 1).
/// </remarks>
public sealed class CrossNetwork
{
    private ComputeContext _compute = ComputeContext.Default;
    private readonly ICrossLayers _layers;
    private float[][] _inputs = [];   // x_1 .. x_{L-1} [B, X]
    private float[] _dA = [];
    private float[] _dB = [];

    public CrossNetwork(ICrossLayers layers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers.LayerCount, 1);
        _layers = layers;
    }

    /// <summary>Plans the layers' activations and the network's own for batches of up to <paramref name="maxBatchSize"/> rows.</summary>
    public CrossNetwork Prepare(int maxBatchSize, ComputeContext? compute = null)
    {
        _compute = compute ?? ComputeContext.Default;
        _layers.Prepare(maxBatchSize, _compute);
        int n = checked(maxBatchSize * Width);
        _inputs = [.. Enumerable.Range(0, LayerCount - 1).Select(_ => new float[n])];
        _dA = LayerCount > 1 ? new float[n] : [];
        _dB = LayerCount > 2 ? new float[n] : [];
        return this;
    }

    public int Width => _layers.Width;

    public int LayerCount => _layers.LayerCount;

    public ICrossLayers Layers => _layers;

    /// <summary>The network over <paramref name="x0"/> and its output unit <paramref name="outputWeight"/> [X] as one op adding x_L·w to the logits.</summary>
    internal void Lower(PlanBuilder plan, float[] outputWeight, TapeRegion x0)
    {
        var layers = new ICrossInferenceLayer[LayerCount];
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l] = _layers.Lower(l, plan.Compute);
        }

        int scratch = layers.Max(l => l.ScratchWidth);
        plan.Add(new CrossNetworkOp(layers, outputWeight, Width, x0.Offset, plan.Allocate(Width).Offset, plan.Allocate(Width).Offset,
            plan.Allocate(scratch).Offset, scratch, _layers.Kind));
    }

    /// <param name="x0">[B, X]; must stay unchanged until backward.</param>
    /// <param name="output">[B, X], x_L.</param>
    public void Forward(ReadOnlySpan<float> x0, int batchSize, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, _layers.MaxBatchSize);
        int n = batchSize * Width;
        for (int l = 0; l < LayerCount; l++)
        {
            ReadOnlySpan<float> input = l == 0 ? x0[..n] : _inputs[l - 1].AsSpan(0, n);
            Span<float> next = l == LayerCount - 1 ? output[..n] : _inputs[l].AsSpan(0, n);
            _layers.Forward(l, x0[..n], input, batchSize, next);
        }
    }

    /// <param name="dOutput">[B, X].</param>
    /// <param name="dX0">[B, X], accumulated.</param>
    public void Backward(ReadOnlySpan<float> x0, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dX0)
    {
        int n = batchSize * Width;
        ReadOnlySpan<float> dNext = dOutput[..n];
        for (int l = LayerCount - 1; l >= 0; l--)
        {
            ReadOnlySpan<float> input = l == 0 ? x0[..n] : _inputs[l - 1].AsSpan(0, n);
            // Gradients between layers ping-pong between two buffers; layer 0's input is x_0, so it adds straight into dX0.
            Span<float> dInput = l == 0 ? dX0[..n] : ((LayerCount - 1 - l) % 2 == 0 ? _dA : _dB).AsSpan(0, n);
            if (l > 0)
            {
                dInput.Clear();
            }

            _layers.Backward(l, x0[..n], input, dNext, batchSize, dX0[..n], dInput);
            dNext = dInput;
        }
    }
}
