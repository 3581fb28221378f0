using System.Numerics.Tensors;
using Clickwise.Inference;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// xDeepFM's CIN: X^k[h,:] = Σ_{i,j} W^k[(i,j), h] (X^{k−1}[i,:] ⊙ X^0[j,:]) + b^k[h], then sum pooling over D of each
/// layer's output rows, concatenated into [B, Σ pooled units]. With split-half, every layer but the last sends its
/// first H_k/2 rows on and pools the other half.
/// Parameters {prefix}.{k}.weight [H_{k−1}·F, H_k] ([in, out], row i·F + j for the pair (i,j)) and
/// {prefix}.{k}.bias [H_k].
/// </summary>
/// <remarks>
/// xDeepFM (Lian et al., "xDeepFM: Combining Explicit and Implicit Feature Interactions", KDD 2018), eq. 6 and the
/// sum pooling of eq. 7, with the per-unit bias of the authors' and DeepCTR's 1×1 convolution and no activation.
/// Per sample, X^k = W^kᵀ·Z^k with Z^k = the [H_{k−1}·F, D] outer-product rows; samples are laid side by side in
/// blocks of columns, so each block is one [H_k, H_{k−1}·F]×[H_{k−1}·F, c·D] GEMM. Z is rebuilt in backward rather
/// than kept, so memory is the layer outputs [H_k, B·D] plus one Z block, not H_{k−1}·F·B·D per layer.
/// </remarks>
public sealed class CompressedInteractionNetwork
{
    /// <summary>Columns (samples × D) per GEMM block: wide enough for the kernel, small enough that Z stays in cache.</summary>
    private ComputeContext _compute = ComputeContext.Default;
    private const int BlockColumns = 512;

    private readonly int _f, _d;
    private int _blockSamples;
    private readonly int[] _units;        // H_1..H_K
    private readonly int[] _nextRows;     // rows of X^k fed to layer k+1
    private readonly int[] _pooledStart;  // first pooled row of X^k
    private readonly int[] _outputOffset; // column of layer k's first pooled unit in the output
    private readonly Parameter[] _weights;
    private readonly Parameter[] _biases;
    private readonly int _maxInput, _maxUnits;
    private float[] _x0 = [];              // X^0 blocks [F, c·D]
    private float[][] _layers = [];        // X^k blocks [H_k, c·D]
    private float[] _z = [], _dZ = [];     // one block [max H_{k−1}·F, c·D]
    private float[] _dA = [], _dB = [];     // ∂/∂X^k of one block [max H, c·D]
    private float[] _dX0 = [];         // one block [F, c·D]

    public CompressedInteractionNetwork(ParameterSet parameters, string prefix, int fieldCount, int dim,
                                        IReadOnlyList<int> layerSizes, bool splitHalf, SeededRandom initRandom)
    {
        ArgumentOutOfRangeException.ThrowIfZero(layerSizes.Count);
        _f = fieldCount;
        _d = dim;
        int layerCount = layerSizes.Count;
        _units = [.. layerSizes];
        SplitHalf = splitHalf;
        _nextRows = new int[layerCount];
        _pooledStart = new int[layerCount];
        _outputOffset = new int[layerCount];
        _weights = new Parameter[layerCount];
        _biases = new Parameter[layerCount];
        int previous = fieldCount, maxInput = 0, maxUnits = 0;
        for (int k = 0; k < layerCount; k++)
        {
            int h = _units[k];
            bool split = splitHalf && k < layerCount - 1;
            if (split && h % 2 != 0)
            {
                throw new ArgumentException($"split-half needs even layer sizes before the last, got {h} at layer {k}.", nameof(layerSizes));
            }

            _nextRows[k] = split ? h / 2 : h;
            _pooledStart[k] = split ? h / 2 : 0;
            _outputOffset[k] = OutputSize;
            OutputSize += h - _pooledStart[k];
            int input = previous * fieldCount;
            _weights[k] = parameters.Add(Parameter.Dense($"{prefix}.{k}.weight", ParameterRole.CinFilter, input, h))
                .Glorot(initRandom, input, h);
            _biases[k] = parameters.Add(Parameter.Dense($"{prefix}.{k}.bias", ParameterRole.Bias, h));
            maxInput = Math.Max(maxInput, input);
            maxUnits = Math.Max(maxUnits, h);
            previous = _nextRows[k];
        }

        (_maxInput, _maxUnits) = (maxInput, maxUnits);
    }

    /// <summary>Plans the layer outputs and block buffers for batches of up to <paramref name="maxBatchSize"/> rows.</summary>
    public CompressedInteractionNetwork Prepare(int maxBatchSize, ComputeContext? compute = null)
    {
        _compute = compute ?? ComputeContext.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _blockSamples = Math.Clamp(BlockColumns / _d, 1, maxBatchSize);
        int blocks = (maxBatchSize + _blockSamples - 1) / _blockSamples;
        int plannedColumns = checked(blocks * _blockSamples * _d), blockColumns = _blockSamples * _d;
        _layers = [.. _units.Select(h => new float[checked(h * plannedColumns)])];
        _x0 = new float[checked(_f * plannedColumns)];
        _z = new float[checked(_maxInput * blockColumns)];
        _dZ = new float[_z.Length];
        _dA = new float[checked(_maxUnits * blockColumns)];
        _dB = new float[_dA.Length];
        _dX0 = new float[checked(_f * blockColumns)];
        MaxBatchSize = maxBatchSize;
        return this;
    }

    /// <summary>Rows the buffers are planned for; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    /// <summary>Whether every layer but the last sends half its units on and sum-pools the other half.</summary>
    public bool SplitHalf { get; }

    /// <summary>Σ_k pooled units of layer k: the width of the output.</summary>
    public int OutputSize { get; }

    /// <summary>The whole network and <paramref name="outputWeight"/> [Σ pooled] as one op adding p⁺·w to the logits.</summary>
    internal IInferenceOp Lower(float[] outputWeight, TapeRegion embeddings, PlanBuilder plan) =>
        new CinOp([.. _weights.Select(w => w.Value)], [.. _biases.Select(b => b.Value)], outputWeight, _f, _d, _units, SplitHalf,
            embeddings.Offset, plan.Gemm, plan.RetainWeights);

    /// <param name="embeddings">[B, F, D].</param>
    /// <param name="output">[B, OutputSize].</param>
    public void Forward(ReadOnlySpan<float> embeddings, int batchSize, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        for (int first = 0; first < batchSize; first += _blockSamples)
        {
            int samples = Math.Min(_blockSamples, batchSize - first), cols = samples * _d;
            Span<float> x0 = Block(_x0, _f, first, cols);
            for (int s = 0; s < samples; s++)
            {
                for (int j = 0; j < _f; j++)
                {
                    embeddings.Slice(((first + s) * _f + j) * _d, _d).CopyTo(x0.Slice(j * cols + s * _d, _d));
                }
            }

            ReadOnlySpan<float> previous = x0;
            int previousRows = _f;
            for (int k = 0; k < _units.Length; k++)
            {
                int h = _units[k], input = previousRows * _f;
                Span<float> z = _z.AsSpan(0, input * cols), x = Block(_layers[k], h, first, cols);
                OuterRows(previous, x0, previousRows, cols, z);
                _compute.Multiply(_weights[k].Value, z, x, h, cols, input, transA: true, transB: false, accumulate: false);
                ReadOnlySpan<float> bias = _biases[k].Value;
                for (int u = 0; u < h; u++)
                {
                    Span<float> row = x.Slice(u * cols, cols);
                    TensorPrimitives.Add(row, bias[u], row);
                }

                for (int s = 0; s < samples; s++)
                {
                    Span<float> o = output.Slice((first + s) * OutputSize + _outputOffset[k], h - _pooledStart[k]);
                    for (int u = _pooledStart[k]; u < h; u++)
                    {
                        o[u - _pooledStart[k]] = TensorPrimitives.Sum(x.Slice(u * cols + s * _d, _d));
                    }
                }

                previous = x;
                previousRows = _nextRows[k];
            }
        }
    }

    /// <param name="dOutput">[B, OutputSize].</param>
    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    public void Backward(ReadOnlySpan<float> dOutput, int batchSize, Span<float> dEmbeddings)
    {
        int last = _units.Length - 1;
        for (int first = 0; first < batchSize; first += _blockSamples)
        {
            int samples = Math.Min(_blockSamples, batchSize - first), cols = samples * _d;
            ReadOnlySpan<float> x0 = Block(_x0, _f, first, cols);
            Span<float> dX0 = _dX0.AsSpan(0, _f * cols);
            dX0.Clear();
            Span<float> dX = _dA.AsSpan(0, _units[last] * cols);
            SpreadPooled(dOutput, last, first, samples, dX);
            for (int k = last; k >= 0; k--)
            {
                int h = _units[k], previousRows = k == 0 ? _f : _nextRows[k - 1], input = previousRows * _f;
                ReadOnlySpan<float> previous = k == 0 ? x0 : Block(_layers[k - 1], _units[k - 1], first, cols);
                Span<float> dBias = _biases[k].Grad!;
                for (int u = 0; u < h; u++)
                {
                    dBias[u] += TensorPrimitives.Sum(dX.Slice(u * cols, cols));
                }

                Span<float> z = _z.AsSpan(0, input * cols), dZ = _dZ.AsSpan(0, input * cols);
                OuterRows(previous, x0, previousRows, cols, z);
                // W^k is stored [in, out] = [H_{k−1}·F, H_k]: dW += Z·dXᵀ, dZ = W·dX.
                _compute.Multiply(z, dX, _weights[k].Grad!, input, h, cols, transA: false, transB: true, accumulate: true);
                _compute.Multiply(_weights[k].Value, dX, dZ, input, cols, h, transA: false, transB: false, accumulate: false);

                Span<float> dPrevious = dX0;
                if (k > 0)
                {
                    dPrevious = (dX.Overlaps(_dA) ? _dB : _dA).AsSpan(0, _units[k - 1] * cols);
                    SpreadPooled(dOutput, k - 1, first, samples, dPrevious);
                }

                for (int i = 0; i < previousRows; i++)
                {
                    ReadOnlySpan<float> xi = previous.Slice(i * cols, cols);
                    Span<float> dXi = dPrevious.Slice(i * cols, cols);
                    for (int j = 0; j < _f; j++)
                    {
                        ReadOnlySpan<float> dz = dZ.Slice((i * _f + j) * cols, cols);
                        Span<float> dX0j = dX0.Slice(j * cols, cols);
                        TensorPrimitives.FusedMultiplyAdd(dz, x0.Slice(j * cols, cols), dXi, dXi);
                        TensorPrimitives.FusedMultiplyAdd(dz, xi, dX0j, dX0j);
                    }
                }

                dX = dPrevious;
            }

            for (int s = 0; s < samples; s++)
            {
                for (int j = 0; j < _f; j++)
                {
                    Span<float> dE = dEmbeddings.Slice(((first + s) * _f + j) * _d, _d);
                    TensorPrimitives.Add(dE, dX0.Slice(j * cols + s * _d, _d), dE);
                }
            }
        }
    }

    /// <summary>The block of a [rows, planned columns] buffer that holds samples from <paramref name="first"/>, as a
    /// compact [rows, cols] matrix.</summary>
    private Span<float> Block(float[] buffer, int rows, int first, int cols) => buffer.AsSpan(first / _blockSamples * rows * _blockSamples * _d, rows * cols);

    /// <summary>Z[i·F + j, :] = previous[i, :] ⊙ X^0[j, :].</summary>
    private void OuterRows(ReadOnlySpan<float> previous, ReadOnlySpan<float> x0, int previousRows, int cols, Span<float> z)
    {
        for (int i = 0; i < previousRows; i++)
        {
            for (int j = 0; j < _f; j++)
            {
                TensorPrimitives.Multiply(previous.Slice(i * cols, cols), x0.Slice(j * cols, cols), z.Slice((i * _f + j) * cols, cols));
            }
        }
    }

    /// <summary>∂L/∂X^k of a block from the pooled outputs alone: dOut broadcast over D on pooled rows, zero elsewhere.</summary>
    private void SpreadPooled(ReadOnlySpan<float> dOutput, int k, int first, int samples, Span<float> dX)
    {
        int cols = samples * _d;
        dX.Clear();
        for (int s = 0; s < samples; s++)
        {
            ReadOnlySpan<float> g = dOutput.Slice((first + s) * OutputSize + _outputOffset[k], _units[k] - _pooledStart[k]);
            for (int u = _pooledStart[k]; u < _units[k]; u++)
            {
                dX.Slice(u * cols + s * _d, _d).Fill(g[u - _pooledStart[k]]);
            }
        }
    }
}
