using System.Numerics.Tensors;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// DCNv2's low-rank mixture of cross experts:
/// x_{l+1} = Σ_i G_i(x_l) · x_0 ⊙ (tanh(tanh(x_l·V_i)·C_i)·U_i + b_l) + x_l, with M experts of rank r and softmax
/// gates G(x_l) = softmax(x_l·G). Cost O(M·r·X) per sample instead of the full-rank O(X²).
/// Parameters, all [in, out]: {prefix}.{l}.expert.{i}.v [X, r], .c [r, r], .u [r, X]; {prefix}.{l}.gate [X, M];
/// {prefix}.{l}.bias [X] (shared by the experts).
/// </summary>
/// <remarks>
/// DCNv2 (Wang et al., "DCN V2: Improved Deep &amp; Cross Network", WWW 2021), eq. 3-4 (low-rank cross and its
/// mixture), with g = tanh and linear-softmax gating as in the authors' and DeepCTR's CrossNetMix.
/// </remarks>
public sealed class DcnV2MixtureCrossLayers : ICrossLayers
{
    private ComputeContext _compute = ComputeContext.Default;
    private readonly int _rank;
    private readonly int _experts;
    private readonly Parameter[][] _v, _c, _u; // [layer][expert]
    private readonly Parameter[] _gates;
    private float[][] _probabilities = []; // softmax gates [B, M] per layer
    private float[][] _low = [];           // tanh(x_l·V_i) [M, B, r] per layer
    private float[][] _mid = [];           // tanh(low·C_i) [M, B, r] per layer
    private float[][] _up = [];            // mid·U_i + b [M, B, X] per layer
    private readonly Parameter[] _biases;
    private float[] _dOutX0 = [];          // dY ⊙ x_0 [B, X]
    private float[] _dUp = [];             // [B, X]
    private float[] _dMid = [], _dLow = [];     // [B, r]
    private float[] _dGates = [];          // [B, M]

    public DcnV2MixtureCrossLayers(ParameterSet parameters, string prefix, int width, int layerCount, int rank, int expertCount,
                                   SeededRandom initRandom)
    {
        Width = width;
        LayerCount = layerCount;
        _rank = rank;
        _experts = expertCount;
        _v = new Parameter[layerCount][];
        _c = new Parameter[layerCount][];
        _u = new Parameter[layerCount][];
        _gates = new Parameter[layerCount];
        _biases = new Parameter[layerCount];
        for (int l = 0; l < layerCount; l++)
        {
            _v[l] = new Parameter[expertCount];
            _c[l] = new Parameter[expertCount];
            _u[l] = new Parameter[expertCount];
            for (int i = 0; i < expertCount; i++)
            {
                string e = $"{prefix}.{l}.expert.{i}";
                _v[l][i] = parameters.Add(Parameter.Dense($"{e}.v", ParameterRole.DenseWeight, width, rank)).Glorot(initRandom, width, rank);
                _c[l][i] = parameters.Add(Parameter.Dense($"{e}.c", ParameterRole.DenseWeight, rank, rank)).Glorot(initRandom, rank, rank);
                _u[l][i] = parameters.Add(Parameter.Dense($"{e}.u", ParameterRole.DenseWeight, rank, width)).Glorot(initRandom, rank, width);
            }

            _gates[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.gate", ParameterRole.DenseWeight, width, expertCount))
                .Glorot(initRandom, width, expertCount);
            _biases[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.bias", ParameterRole.Bias, width));
        }
    }

    public void Prepare(int maxBatchSize, ComputeContext compute)
    {
        _compute = compute;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        int b = maxBatchSize, m = _experts, r = _rank, x = Width;
        _probabilities = [.. Enumerable.Range(0, LayerCount).Select(_ => new float[checked(b * m)])];
        _low = [.. Enumerable.Range(0, LayerCount).Select(_ => new float[checked(m * b * r)])];
        _mid = [.. Enumerable.Range(0, LayerCount).Select(_ => new float[checked(m * b * r)])];
        _up = [.. Enumerable.Range(0, LayerCount).Select(_ => new float[checked(m * b * x)])];
        _dOutX0 = new float[checked(b * x)];
        _dUp = new float[checked(b * x)];
        _dMid = new float[checked(b * r)];
        _dLow = new float[checked(b * r)];
        _dGates = new float[checked(b * m)];
        MaxBatchSize = maxBatchSize;
    }

    public int Width { get; }

    public int LayerCount { get; }

    /// <summary>Rows the activations are planned for; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    public string Kind => $"dcnv2 mixture M={_experts} r={_rank}";

    ICrossInferenceLayer ICrossLayers.Lower(int layer, ComputeContext compute) =>
        new DcnV2MixtureInferenceLayer(_gates[layer].Value, [.. _v[layer].Select(p => p.Value)],
            [.. _c[layer].Select(p => p.Value)], [.. _u[layer].Select(p => p.Value)], _biases[layer].Value, compute);

    public void Forward(int layer, ReadOnlySpan<float> x0, ReadOnlySpan<float> input, int batchSize, Span<float> output)
    {
        int n = Width, r = _rank, m = _experts;
        Span<float> p = _probabilities[layer].AsSpan(0, batchSize * m);
        Projection.Forward(_compute, input, _gates[layer].Value, batchSize, n, m, p);
        for (int b = 0; b < batchSize; b++)
        {
            TensorPrimitives.SoftMax(p.Slice(b * m, m), p.Slice(b * m, m));
        }

        input[..(batchSize * n)].CopyTo(output);
        for (int i = 0; i < m; i++)
        {
            Span<float> low = Low(layer, i, batchSize), mid = Mid(layer, i, batchSize), up = Up(layer, i, batchSize);
            Projection.Forward(_compute, input, _v[layer][i].Value, batchSize, n, r, low);
            TensorPrimitives.Tanh(low, low);
            Projection.Forward(_compute, low, _c[layer][i].Value, batchSize, r, r, mid);
            TensorPrimitives.Tanh(mid, mid);
            Linear.Forward(_compute, mid, _u[layer][i].Value, _biases[layer].Value, batchSize, r, n, up);
            for (int b = 0; b < batchSize; b++)
            {
                float g = p[b * m + i];
                int o = b * n;
                for (int j = o; j < o + n; j++)
                {
                    output[j] += g * x0[j] * up[j];
                }
            }
        }
    }

    public void Backward(int layer, ReadOnlySpan<float> x0, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize,
                         Span<float> dX0, Span<float> dInput)
    {
        int n = Width, r = _rank, m = _experts, bn = batchSize * n;
        ReadOnlySpan<float> p = _probabilities[layer].AsSpan(0, batchSize * m);
        Span<float> dOutX0 = _dOutX0.AsSpan(0, bn), dUp = _dUp.AsSpan(0, bn), dP = _dGates.AsSpan(0, batchSize * m);
        Span<float> dMid = _dMid.AsSpan(0, batchSize * r), dLow = _dLow.AsSpan(0, batchSize * r);
        TensorPrimitives.Add(dInput[..bn], dOutput[..bn], dInput[..bn]);
        TensorPrimitives.Multiply(dOutput[..bn], x0[..bn], dOutX0);

        // Gates: ∂L/∂p_i = ⟨dY ⊙ x_0, u_i⟩, then through the softmax.
        for (int b = 0; b < batchSize; b++)
        {
            for (int i = 0; i < m; i++)
            {
                dP[b * m + i] = TensorPrimitives.Dot(dOutX0.Slice(b * n, n), Up(layer, i, batchSize).Slice(b * n, n));
            }

            Span<float> pb = _dGates.AsSpan(b * m, m);
            float mean = TensorPrimitives.Dot(p.Slice(b * m, m), pb);
            for (int i = 0; i < m; i++)
            {
                pb[i] = p[b * m + i] * (pb[i] - mean);
            }
        }

        Projection.Backward(_compute, input, _gates[layer].Value, dP, batchSize, n, m, dInput, _gates[layer].Grad!);

        for (int i = 0; i < m; i++)
        {
            Span<float> low = Low(layer, i, batchSize), mid = Mid(layer, i, batchSize), up = Up(layer, i, batchSize);
            for (int b = 0; b < batchSize; b++)
            {
                float g = p[b * m + i];
                for (int j = b * n; j < (b + 1) * n; j++)
                {
                    dX0[j] += g * dOutput[j] * up[j];
                    dUp[j] = g * dOutX0[j];
                }
            }

            dMid.Clear();
            Linear.Backward(_compute, mid, _u[layer][i].Value, dUp, batchSize, r, n, dMid, _u[layer][i].Grad!, _biases[layer].Grad!);
            TanhBackward(mid, dMid);
            dLow.Clear();
            Projection.Backward(_compute, low, _c[layer][i].Value, dMid, batchSize, r, r, dLow, _c[layer][i].Grad!);
            TanhBackward(low, dLow);
            Projection.Backward(_compute, input, _v[layer][i].Value, dLow, batchSize, n, r, dInput, _v[layer][i].Grad!);
        }
    }

    /// <summary>d ← d ⊙ (1 − y²), turning ∂/∂tanh(x) into ∂/∂x given y = tanh(x).</summary>
    private static void TanhBackward(ReadOnlySpan<float> y, Span<float> d)
    {
        for (int i = 0; i < d.Length; i++)
        {
            d[i] *= 1f - y[i] * y[i];
        }
    }

    private Span<float> Low(int layer, int expert, int batchSize) => _low[layer].AsSpan(expert * MaxBatchSize * _rank, batchSize * _rank);

    private Span<float> Mid(int layer, int expert, int batchSize) => _mid[layer].AsSpan(expert * MaxBatchSize * _rank, batchSize * _rank);

    private Span<float> Up(int layer, int expert, int batchSize) => _up[layer].AsSpan(expert * MaxBatchSize * Width, batchSize * Width);
}
