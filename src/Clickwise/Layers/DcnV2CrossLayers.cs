using Clickwise.Inference.Ops;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// DCNv2's full-rank cross layer: x_{l+1} = x_0 ⊙ (x_l·W_l + b_l) + x_l, with W_l stored [in, out] as in
/// <see cref="Linear"/> (the paper's W_l x_l on column vectors). Parameters {prefix}.{l}.weight [X, X] and
/// {prefix}.{l}.bias [X]; per layer it keeps u_l = x_l·W_l + b_l [B, X]. Each pass is one batch GEMM.
/// </summary>
/// <remarks>DCNv2 (Wang et al., "DCN V2: Improved Deep &amp; Cross Network", WWW 2021), eq. 1.</remarks>
public sealed class DcnV2CrossLayers : ICrossLayers
{
    private ComputeContext _compute = ComputeContext.Default;
    private readonly Parameter[] _weights;
    private readonly Parameter[] _biases;
    private float[][] _mixed = [];    // u_l [B, X] per layer
    private float[] _dMixed = [];     // ∂/∂u_l [B, X]

    public DcnV2CrossLayers(ParameterSet parameters, string prefix, int width, int layerCount, SeededRandom initRandom)
    {
        Width = width;
        LayerCount = layerCount;
        _weights = new Parameter[layerCount];
        _biases = new Parameter[layerCount];
        for (int l = 0; l < layerCount; l++)
        {
            _weights[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.weight", ParameterRole.DenseWeight, width, width))
                .Glorot(initRandom, width, width);
            _biases[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.bias", ParameterRole.Bias, width));
        }
    }

    public void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _compute = compute;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _mixed = [.. Enumerable.Range(0, LayerCount).Select(_ => new float[checked(maxBatchSize * Width)])];
        _dMixed = new float[checked(maxBatchSize * Width)];
        MaxBatchSize = maxBatchSize;
    }

    public int Width { get; }

    public int LayerCount { get; }

    /// <summary>Rows the activations are planned for; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    public string Kind => "dcnv2";

    ICrossInferenceLayer ICrossLayers.Lower(int layer, ComputeContext compute) =>
        new DcnV2InferenceLayer(_weights[layer].Value, _biases[layer].Value, compute);

    public void Forward(int layer, ReadOnlySpan<float> x0, ReadOnlySpan<float> input, int batchSize, Span<float> output)
    {
        int n = batchSize * Width;
        Span<float> u = _mixed[layer].AsSpan(0, n);
        Linear.Forward(_compute, input, _weights[layer].Value, _biases[layer].Value, batchSize, Width, Width, u);
        CrossProduct.Forward(x0[..n], u, input[..n], output[..n]);
    }

    public void Backward(int layer, ReadOnlySpan<float> x0, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
                         Span<float> dX0, Span<float> dInput)
    {
        int n = batchSize * Width;
        Span<float> dU = _dMixed.AsSpan(0, n);
        CrossProduct.Backward(x0[..n], _mixed[layer].AsSpan(0, n), dOutput[..n], dX0[..n], dU, dInput[..n]);
        Linear.Backward(_compute, input, _weights[layer].Value, dU, batchSize, Width, Width, dInput, _weights[layer].Grad!, _biases[layer].Grad!);
    }
}
