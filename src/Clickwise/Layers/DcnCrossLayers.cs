using System.Numerics.Tensors;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// DCN's vector cross layer: x_{l+1} = x_0 · (x_lᵀ w_l) + b_l + x_l, a rank-one interaction costing O(X) per sample.
/// Parameters {prefix}.{l}.weight [X] and {prefix}.{l}.bias [X]; per layer it keeps the scalars x_lᵀ w_l [B].
/// </summary>
/// <remarks>DCN (Wang et al., "Deep &amp; Cross Network for Ad Click Predictions", ADKDD 2017), eq. 3.</remarks>
public sealed class DcnCrossLayers : ICrossLayers
{
    private readonly Parameter[] _weights;
    private readonly Parameter[] _biases;
    private float[][] _projections = []; // x_lᵀ w_l [B] per layer

    public DcnCrossLayers(ParameterSet parameters, string prefix, int width, int layerCount, SeededRandom initRandom)
    {
        Width = width;
        LayerCount = layerCount;
        _weights = new Parameter[layerCount];
        _biases = new Parameter[layerCount];
        for (int l = 0; l < layerCount; l++)
        {
            _weights[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.weight", ParameterRole.DenseWeight, width))
                .Glorot(initRandom, width, 1);
            _biases[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.bias", ParameterRole.Bias, width));
        }
    }

    public void Prepare(int maxBatchSize, ComputeContext compute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _projections = [.. Enumerable.Range(0, LayerCount).Select(_ => new float[maxBatchSize])];
        MaxBatchSize = maxBatchSize;
    }

    public int Width { get; }

    public int LayerCount { get; }

    /// <summary>Rows the activations are planned for; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    public string Kind => "dcn";

    ICrossInferenceLayer ICrossLayers.Lower(int layer, ComputeContext compute) =>
        new DcnInferenceLayer(_weights[layer].Value, _biases[layer].Value);

    public void Forward(int layer, ReadOnlySpan<float> x0, ReadOnlySpan<float> input, int batchSize, Span<float> output)
    {
        int n = Width;
        ReadOnlySpan<float> w = _weights[layer].Value, bias = _biases[layer].Value;
        Span<float> s = _projections[layer];
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> xl = input.Slice(b * n, n);
            Span<float> y = output.Slice(b * n, n);
            s[b] = TensorPrimitives.Dot(xl, w);
            TensorPrimitives.Add(xl, bias, y);
            TensorPrimitives.MultiplyAdd(x0.Slice(b * n, n), s[b], y, y);
        }
    }

    public void Backward(int layer, ReadOnlySpan<float> x0, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
                         Span<float> dX0, Span<float> dInput)
    {
        int n = Width;
        ReadOnlySpan<float> w = _weights[layer].Value, s = _projections[layer];
        Span<float> dW = _weights[layer].Grad!, dBias = _biases[layer].Grad!;
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> dY = dOutput.Slice(b * n, n);
            float g = TensorPrimitives.Dot(dY, x0.Slice(b * n, n));
            TensorPrimitives.Add(dBias, dY, dBias);
            TensorPrimitives.MultiplyAdd(input.Slice(b * n, n), g, dW, dW);
            Span<float> d0 = dX0.Slice(b * n, n), dl = dInput.Slice(b * n, n);
            TensorPrimitives.MultiplyAdd(dY, s[b], d0, d0);
            TensorPrimitives.Add(dl, dY, dl);
            TensorPrimitives.MultiplyAdd(w, g, dl, dl);
        }
    }
}
