using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>One cross layer of a <see cref="CrossNetworkOp"/> over a block of rows, the layer kinds of Layers/ in evaluation form.</summary>
internal interface ICrossInferenceLayer
{
    long ParameterCount { get; }

    long Bytes { get; }

    /// <summary>Floats per row of scratch <see cref="Run"/> needs.</summary>
    int ScratchWidth { get; }

    /// <param name="x0">[rows, X].</param>
    /// <param name="input">[rows, X], x_l.</param>
    /// <param name="scratch">[rows, ScratchWidth] or more.</param>
    /// <param name="output">[rows, X], x_{l+1}, overwritten; never aliases the inputs.</param>
    /// <param name="single">The request is one row: products take the matrix-vector path.</param>
    void Run(ReadOnlySpan<float> x0, ReadOnlySpan<float> input, int rows, Span<float> scratch, Span<float> output, bool single);

    /// <summary>The layer as ONNX nodes over x_0 and x_l [N, X]; returns x_{l+1}.</summary>
    string Export(OnnxGraph graph, string x0, string input);
}

/// <summary>DCN: y = x_0 (x_lᵀ w) + b + x_l, a dot and an AXPY per row.</summary>
internal sealed class DcnInferenceLayer(float[] weight, float[] bias) : ICrossInferenceLayer
{
    public long ParameterCount => weight.LongLength + bias.LongLength;

    public long Bytes => ParameterCount * sizeof(float);

    public int ScratchWidth => 0;

    public void Run(ReadOnlySpan<float> x0, ReadOnlySpan<float> input, int rows, Span<float> scratch, Span<float> output, bool single)
    {
        int n = weight.Length;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xl = input.Slice(r * n, n);
            Span<float> y = output.Slice(r * n, n);
            float s = TensorPrimitives.Dot(xl, weight);
            TensorPrimitives.Add(xl, bias, y);
            TensorPrimitives.MultiplyAdd(x0.Slice(r * n, n), s, y, y);
        }
    }

    public string Export(OnnxGraph graph, string x0, string input) =>
        graph.Node("Add", [graph.Node("Mul", [x0, graph.Dot(input, weight)]), graph.Node("Add", [input, graph.Weight("cross_bias", bias, bias.Length)])]);
}

/// <summary>DCNv2 full rank: u = x_l·W + b through the prepared GEMM, then y = x_0 ⊙ u + x_l.</summary>
internal sealed class DcnV2InferenceLayer(float[] weight, float[] bias, ComputeContext compute) : ICrossInferenceLayer
{
    private readonly RowDenseProduct _product = new RowDenseProduct(weight, bias, bias.Length, bias.Length, compute);

    public long ParameterCount => weight.LongLength + bias.LongLength;

    public long Bytes => ParameterCount * sizeof(float) + _product.Bytes;

    public int ScratchWidth => bias.Length;

    public void Run(ReadOnlySpan<float> x0, ReadOnlySpan<float> input, int rows, Span<float> scratch, Span<float> output, bool single)
    {
        int n = rows * bias.Length;
        Span<float> u = scratch[..n];
        _product.Forward(input, rows, u, single);
        TensorPrimitives.FusedMultiplyAdd(x0, u, input, output[..n]);
    }

    public string Export(OnnxGraph graph, string x0, string input) =>
        graph.Node("Add", [graph.Node("Mul", [x0, graph.Dense(input, weight, bias, bias.Length, bias.Length)]), input]);
}

/// <summary>GDCN: y = x_0 ⊙ (x_l·W_c + b) ⊙ σ(x_l·W_g) + x_l, two prepared GEMMs and one element-wise pass.</summary>
internal sealed class GatedCrossInferenceLayer(float[] weight, float[] bias, float[] gateWeight, ComputeContext compute) : ICrossInferenceLayer
{
    private readonly RowDenseProduct _cross = new RowDenseProduct(weight, bias, bias.Length, bias.Length, compute);
    private readonly RowDenseProduct _gate = new RowDenseProduct(gateWeight, new float[bias.Length], bias.Length, bias.Length, compute);

    public long ParameterCount => weight.LongLength + bias.LongLength + gateWeight.LongLength;

    public long Bytes => ParameterCount * sizeof(float) + _cross.Bytes + _gate.Bytes;

    public int ScratchWidth => 2 * bias.Length;

    public void Run(ReadOnlySpan<float> x0, ReadOnlySpan<float> input, int rows, Span<float> scratch, Span<float> output, bool single)
    {
        int n = rows * bias.Length;
        Span<float> cross = scratch[..n], gate = scratch.Slice(n, n);
        _cross.Forward(input, rows, cross, single);
        _gate.Forward(input, rows, gate, single);
        TensorPrimitives.Sigmoid(gate, gate);
        TensorPrimitives.Multiply(cross, gate, cross);
        TensorPrimitives.FusedMultiplyAdd(x0, cross, input, output[..n]);
    }

    public string Export(OnnxGraph graph, string x0, string input)
    {
        int n = bias.Length;
        string gate = graph.Node("Sigmoid", [graph.Node("MatMul", [input, graph.Weight("gate", gateWeight, n, n)])]);
        string cross = graph.Node("Mul", [graph.Dense(input, weight, bias, n, n), gate]);
        return graph.Node("Add", [graph.Node("Mul", [x0, cross]), input]);
    }
}

/// <summary>
/// DCNv2 low-rank mixture: y = x_l + Σ_i p_i · x_0 ⊙ (tanh(tanh(x_l·V_i)·C_i)·U_i + b), p = softmax(x_l·G), every
/// product through a prepared GEMM. Scratch per row: p [M], low and mid [r], up [X].
/// </summary>
internal sealed class DcnV2MixtureInferenceLayer : ICrossInferenceLayer
{
    private readonly RowDenseProduct _gate;
    private readonly RowDenseProduct[] _v, _c, _u;
    private readonly int _width, _rank, _experts;
    private readonly float[] _gateWeight, _bias;
    private readonly float[][] _vWeights, _cWeights, _uWeights;

    public DcnV2MixtureInferenceLayer(float[] gate, float[][] v, float[][] c, float[][] u, float[] bias, ComputeContext compute)
    {
        (_gateWeight, _vWeights, _cWeights, _uWeights, _bias) = (gate, v, c, u, bias);
        _width = bias.Length;
        _experts = v.Length;
        _rank = v[0].Length / _width;
        float[] noBias = new float[Math.Max(_rank, _experts)];
        _gate = new RowDenseProduct(gate, noBias[.._experts], _width, _experts, compute);
        _v = [.. v.Select(w => new RowDenseProduct(w, noBias[.._rank], _width, _rank, compute))];
        _c = [.. c.Select(w => new RowDenseProduct(w, noBias[.._rank], _rank, _rank, compute))];
        _u = [.. u.Select(w => new RowDenseProduct(w, bias, _rank, _width, compute))];
        ParameterCount = gate.LongLength + v.Sum(w => w.LongLength) + c.Sum(w => w.LongLength) + u.Sum(w => w.LongLength) + bias.LongLength;
    }

    public long ParameterCount { get; }

    public long Bytes => ParameterCount * sizeof(float) + _gate.Bytes + _v.Concat(_c).Concat(_u).Sum(p => p.Bytes);

    public int ScratchWidth => _experts + 2 * _rank + _width;

    public void Run(ReadOnlySpan<float> x0, ReadOnlySpan<float> input, int rows, Span<float> scratch, Span<float> output, bool single)
    {
        int n = _width, m = _experts, r = _rank;
        Span<float> p = scratch[..(rows * m)];
        Span<float> low = scratch.Slice(rows * m, rows * r), mid = scratch.Slice(rows * (m + r), rows * r);
        Span<float> up = scratch.Slice(rows * (m + 2 * r), rows * n);
        _gate.Forward(input, rows, p, single);
        for (int b = 0; b < rows; b++)
        {
            TensorPrimitives.SoftMax(p.Slice(b * m, m), p.Slice(b * m, m));
        }

        input[..(rows * n)].CopyTo(output);
        for (int i = 0; i < m; i++)
        {
            _v[i].Forward(input, rows, low, single);
            TensorPrimitives.Tanh(low, low);
            _c[i].Forward(low, rows, mid, single);
            TensorPrimitives.Tanh(mid, mid);
            _u[i].Forward(mid, rows, up, single);
            for (int b = 0; b < rows; b++)
            {
                float g = p[b * m + i];
                for (int j = b * n; j < (b + 1) * n; j++)
                {
                    output[j] += g * x0[j] * up[j];
                }
            }
        }
    }

    public string Export(OnnxGraph graph, string x0, string input)
    {
        string p = graph.Node("Softmax", [graph.Node("MatMul", [input, graph.Weight("gate", _gateWeight, _width, _experts)])], null,
            OnnxAttribute.Of("axis", 1L));
        string output = input;
        for (int i = 0; i < _experts; i++)
        {
            string low = graph.Node("Tanh", [graph.Node("MatMul", [input, graph.Weight("v", _vWeights[i], _width, _rank)])]);
            string mid = graph.Node("Tanh", [graph.Node("MatMul", [low, graph.Weight("c", _cWeights[i], _rank, _rank)])]);
            string up = graph.Dense(mid, _uWeights[i], _bias, _rank, _width);
            string share = graph.Slice(p, i, i + 1, 1);
            output = graph.Node("Add", [output, graph.Node("Mul", [graph.Node("Mul", [x0, up]), share])]);
        }

        return output;
    }
}
