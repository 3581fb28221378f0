using System.Numerics.Tensors;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// GDCN's gated cross layer: c_{l+1} = c_0 ⊙ (c_l·W_c + b) ⊙ σ(c_l·W_g) + c_l. The information gate σ(c_l·W_g)
/// decides per element how much of each cross feature passes. Parameters {prefix}.{l}.weight [X, X],
/// {prefix}.{l}.bias [X] and {prefix}.{l}.gate [X, X] (no gate bias, as in the paper and its code), all [in, out].
/// Per layer it keeps the cross term c_l·W_c + b and the gate [B, X].
/// </summary>
/// <remarks>GDCN (Wang et al., "Towards Deeper, Lighter and Interpretable Cross Network for CTR Prediction",
/// CIKM 2023), eq. 1.</remarks>
public sealed class GatedCrossLayers : ICrossLayers
{
    private ComputeContext _compute = ComputeContext.Default;
    private readonly Parameter[] _weights;
    private readonly Parameter[] _biases;
    private readonly Parameter[] _gateWeights;
    private float[][] _cross = [];    // c_l·W_c + b [B, X] per layer
    private float[][] _gates = [];    // σ(c_l·W_g) [B, X] per layer
    private float[] _gated = [];      // cross ⊙ gate [B, X]
    private float[] _dGated = [];     // ∂/∂(cross ⊙ gate) [B, X]
    private float[] _dPre = [];       // ∂/∂ of a pre-activation [B, X]

    public GatedCrossLayers(ParameterSet parameters, string prefix, int width, int layerCount, SeededRandom initRandom)
    {
        Width = width;
        LayerCount = layerCount;
        _weights = new Parameter[layerCount];
        _biases = new Parameter[layerCount];
        _gateWeights = new Parameter[layerCount];
        for (int l = 0; l < layerCount; l++)
        {
            _weights[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.weight", ParameterRole.DenseWeight, width, width))
                .Glorot(initRandom, width, width);
            _biases[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.bias", ParameterRole.Bias, width));
            _gateWeights[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.gate", ParameterRole.DenseWeight, width, width))
                .Glorot(initRandom, width, width);
        }
    }

    public void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _compute = compute;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        int n = checked(maxBatchSize * Width);
        _cross = [.. Enumerable.Range(0, LayerCount).Select(_ => new float[n])];
        _gates = [.. Enumerable.Range(0, LayerCount).Select(_ => new float[n])];
        _gated = new float[n];
        _dGated = new float[n];
        _dPre = new float[n];
        MaxBatchSize = maxBatchSize;
    }

    public int Width { get; }

    public int LayerCount { get; }

    /// <summary>Rows the activations are planned for; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    public string Kind => "gdcn";

    ICrossInferenceLayer ICrossLayers.Lower(int layer, ComputeContext compute) =>
        new GatedCrossInferenceLayer(_weights[layer].Value, _biases[layer].Value, _gateWeights[layer].Value, compute);

    public void Forward(int layer, ReadOnlySpan<float> x0, ReadOnlySpan<float> input, int batchSize, Span<float> output)
    {
        int n = batchSize * Width;
        Span<float> cross = _cross[layer].AsSpan(0, n), gate = _gates[layer].AsSpan(0, n), gated = _gated.AsSpan(0, n);
        Linear.Forward(_compute, input, _weights[layer].Value, _biases[layer].Value, batchSize, Width, Width, cross);
        Projection.Forward(_compute, input, _gateWeights[layer].Value, batchSize, Width, Width, gate);
        TensorPrimitives.Sigmoid(gate, gate);
        TensorPrimitives.Multiply(cross, gate, gated);
        CrossProduct.Forward(x0[..n], gated, input[..n], output[..n]);
    }

    public void Backward(int layer, ReadOnlySpan<float> x0, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
                         Span<float> dX0, Span<float> dInput)
    {
        int n = batchSize * Width;
        ReadOnlySpan<float> cross = _cross[layer].AsSpan(0, n), gate = _gates[layer].AsSpan(0, n);
        Span<float> gated = _gated.AsSpan(0, n), dGated = _dGated.AsSpan(0, n), dPre = _dPre.AsSpan(0, n);
        TensorPrimitives.Multiply(cross, gate, gated);
        CrossProduct.Backward(x0[..n], gated, dOutput[..n], dX0[..n], dGated, dInput[..n]);

        // Through the cross term: ∂/∂cross = dGated ⊙ gate.
        TensorPrimitives.Multiply(dGated, gate, dPre);
        Linear.Backward(_compute, input, _weights[layer].Value, dPre, batchSize, Width, Width, dInput, _weights[layer].Grad!, _biases[layer].Grad!);

        // Through the gate: ∂/∂(c_l·W_g) = dGated ⊙ cross ⊙ σ(1 − σ).
        for (int i = 0; i < n; i++)
        {
            dPre[i] = dGated[i] * cross[i] * gate[i] * (1f - gate[i]);
        }

        Projection.Backward(_compute, input, _gateWeights[layer].Value, dPre, batchSize, Width, Width, dInput, _gateWeights[layer].Grad!);
    }
}
