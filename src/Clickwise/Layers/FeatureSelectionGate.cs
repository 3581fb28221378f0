using System.Numerics.Tensors;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// FinalMLP's stream-specific feature selection with an empty context: a learned context vector c [D] feeds a gate
/// MLP (hidden layers Linear → ReLU, then Linear to W = F·D outputs), g = 2·σ(MLP(c)) [W], and the stream input is
/// x[b, :] = e[b, :] ⊙ g. Without context features the gate does not depend on the sample, so forward computes it once
/// per batch (one row through the gate MLP) and backward sums the batch into dg = Σ_b dx[b, :] ⊙ e[b, :] before one
/// row back through the gate MLP. Parameters {prefix}.context [D] (zeros, FuxiCTR's <c>fs_ctx_bias</c>), then
/// {prefix}.{l}.weight [in, out] and {prefix}.{l}.bias [out] for l = 0..H (the last maps to W); Glorot-uniform weights,
/// zero biases. Its buffers are one row each, whatever the batch, so a step allocates nothing.
/// </summary>
/// <remarks>
/// <para>FinalMLP (Mao et al., "FinalMLP: An Enhanced Two-Stream MLP Model for CTR Prediction", AAAI 2023), §3.2
/// "Stream-Specific Feature Selection", as FuxiCTR's <c>FeatureSelection</c> computes it with <c>fs1_context = []</c>.</para>
/// <para>With the context and every bias at zero (FuxiCTR's start) the hidden layers output ReLU(0) = 0, whose gradient
/// is zero, so only the last bias learns and the gate is 2·σ(b_H) per column; that is the reference's behaviour, kept.</para>
/// <para>Inference: the gate is constant, so a lowering computes it once with <see cref="ComputeGate"/> and folds it into the
/// rows of the next dense layer's weight with <see cref="FoldIntoWeight"/>: (e ⊙ g)·W = e·(diag(g)·W).</para>
/// </remarks>
public sealed class FeatureSelectionGate
{
    private readonly int[] _sizes;          // [D, H1, ..., Hn, W]
    private readonly Parameter _context;
    private readonly Parameter[] _weights;
    private readonly Parameter[] _biases;
    private ComputeContext _compute = ComputeContext.Default;
    private readonly float[][] _activations; // a(l) [1, size l + 1]: ReLU outputs for l < n, then the gate g [W]
    private readonly float[][] _dActivations;
    private readonly float[] _dGate;         // Σ_b dx[b, :] ⊙ e[b, :] [W]

    public FeatureSelectionGate(ParameterSet parameters, string prefix, int dim, IReadOnlyList<int> hiddenUnits, int width,
                                SeededRandom initRandom)
    {
        _sizes = [dim, .. hiddenUnits, width];
        int layers = _sizes.Length - 1;
        _context = parameters.Add(Parameter.Dense($"{prefix}.context", ParameterRole.Bias, dim));
        _weights = new Parameter[layers];
        _biases = new Parameter[layers];
        for (int l = 0; l < layers; l++)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            _weights[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.weight", ParameterRole.DenseWeight, fanIn, fanOut))
                .Glorot(initRandom, fanIn, fanOut);
            _biases[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.bias", ParameterRole.Bias, fanOut));
        }

        _activations = [.. _sizes.Skip(1).Select(n => new float[n])];
        _dActivations = [.. _sizes.Skip(1).Select(n => new float[n])];
        _dGate = _dActivations[^1];
        Dim = dim;
        Width = width;
    }

    /// <summary>Takes batches of up to <paramref name="maxBatchSize"/> rows, run with <paramref name="compute"/>.</summary>
    public FeatureSelectionGate Prepare(int maxBatchSize, ComputeContext? compute = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _compute = compute ?? ComputeContext.Default;
        MaxBatchSize = maxBatchSize;
        return this;
    }

    public int Dim { get; }

    /// <summary>W = F·D, the width of the flat embeddings and of the gate.</summary>
    public int Width { get; }

    /// <summary>Rows a call may hold; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    /// <summary>The gate g [W] of the last forward.</summary>
    public ReadOnlySpan<float> Gate => _activations[^1];

    /// <param name="embeddings">[B, W], the flat embeddings; must stay unchanged until backward.</param>
    /// <param name="output">[B, W], e ⊙ g per row.</param>
    public void Forward(ReadOnlySpan<float> embeddings, int batchSize, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        Evaluate(_compute, _activations);
        ReadOnlySpan<float> g = Gate;
        int w = Width;
        for (int b = 0; b < batchSize; b++)
        {
            TensorPrimitives.Multiply(embeddings.Slice(b * w, w), g, output.Slice(b * w, w));
        }
    }

    /// <param name="embeddings">[B, W], as given to forward.</param>
    /// <param name="dOutput">[B, W].</param>
    /// <param name="dEmbeddings">[B, W], accumulated; empty when the embeddings need no gradient.</param>
    public void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dEmbeddings)
    {
        ReadOnlySpan<float> g = Gate;
        int w = Width;
        Span<float> dG = _dGate;
        dG.Clear();
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> dY = dOutput.Slice(b * w, w);
            TensorPrimitives.MultiplyAdd(dY, embeddings.Slice(b * w, w), dG, dG);
            if (!dEmbeddings.IsEmpty)
            {
                Span<float> dE = dEmbeddings.Slice(b * w, w);
                TensorPrimitives.MultiplyAdd(dY, g, dE, dE);
            }
        }

        // g = 2σ(z): dz = dg ⊙ 2σ(1 − σ) = dg ⊙ g ⊙ (1 − g/2).
        for (int j = 0; j < w; j++)
        {
            dG[j] *= g[j] * (1f - 0.5f * g[j]);
        }

        for (int l = _weights.Length - 1; l >= 0; l--)
        {
            ReadOnlySpan<float> a = l == 0 ? _context.Value : _activations[l - 1];
            Span<float> dA = l == 0 ? _context.Grad! : _dActivations[l - 1];
            if (l > 0)
            {
                dA.Clear();
            }

            Linear.Backward(_compute, a, _weights[l].Value, _dActivations[l], 1, _sizes[l], _sizes[l + 1], dA, _weights[l].Grad!,
                _biases[l].Grad!);
            if (l > 0)
            {
                ReadOnlySpan<float> h = _activations[l - 1];
                for (int i = 0; i < dA.Length; i++)
                {
                    dA[i] = h[i] > 0f ? dA[i] : 0f;
                }
            }
        }
    }

    /// <summary>The gate g = 2·σ(MLP(c)) [W] of the current weights, in a new array: what forward multiplies by.</summary>
    public float[] ComputeGate()
    {
        float[][] activations = [.. _sizes.Skip(1).Select(n => new float[n])];
        Evaluate(_compute, activations);
        return activations[^1];
    }

    /// <summary>
    /// diag(g)·W: the weight W [in, out] of the dense layer that reads the gated input, with row i scaled by g[i], so
    /// that (e ⊙ g)·W = e·(diag(g)·W) and the inference plan runs the dense layer straight over the embeddings.
    /// </summary>
    /// <param name="gate">g [in].</param>
    /// <param name="weight">W [in, out], not changed.</param>
    /// <returns>A new [in, out] array.</returns>
    public static float[] FoldIntoWeight(ReadOnlySpan<float> gate, ReadOnlySpan<float> weight, int inputSize, int outputSize)
    {
        if (gate.Length != inputSize || weight.Length != inputSize * outputSize)
        {
            throw new ArgumentException($"gate [{gate.Length}] and weight [{weight.Length}] do not fit a {inputSize}x{outputSize} layer");
        }

        var folded = new float[weight.Length];
        for (int i = 0; i < inputSize; i++)
        {
            TensorPrimitives.Multiply(weight.Slice(i * outputSize, outputSize), gate[i], folded.AsSpan(i * outputSize, outputSize));
        }

        return folded;
    }

    /// <summary>One row through the gate MLP: a(l) = ReLU(a(l−1)·W_l + b_l), the last 2·σ(·); a(−1) = c.</summary>
    private void Evaluate(ComputeContext compute, float[][] activations)
    {
        int layers = _weights.Length;
        for (int l = 0; l < layers; l++)
        {
            ReadOnlySpan<float> a = l == 0 ? _context.Value : activations[l - 1];
            Span<float> z = activations[l];
            Linear.Forward(compute, a, _weights[l].Value, _biases[l].Value, 1, _sizes[l], _sizes[l + 1], z);
            if (l < layers - 1)
            {
                Relu.Forward(z, z.Length, z);
            }
            else
            {
                TensorPrimitives.Sigmoid(z, z);
                TensorPrimitives.Multiply(z, 2f, z);
            }
        }
    }
}
