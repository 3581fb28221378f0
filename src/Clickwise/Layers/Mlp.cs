using Clickwise.Inference;
using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// DeepFM's DNN component (Guo et al., eq. 7-8): hidden layers a(l+1) = dropout(ReLU(a(l)·W(l) + b(l))) (or tanh) followed
/// by a final Linear to one output, y = a(H)·W(H+1) + b(H+1). Owns its parameters (registered into the model's
/// <see cref="ParameterSet"/> as mlp.{l}.weight / mlp.{l}.bias, l = 0..H) and activations planned for the
/// maximum batch, so a step allocates nothing.
/// Without the output unit (FinalMLP's streams, FuxiCTR's <c>output_dim=None</c>) the output is the last hidden
/// activation a(H) [B, H_n] and the parameters stop at l = H − 1.
/// A hidden layer given a rank k &gt; 0 is low-rank (<see cref="LowRankFactors"/>): its W(l) is replaced by
/// mlp.{l}.down.weight [in, k], mlp.{l}.down.bias [k] and mlp.{l}.up.weight [k, out]; mlp.{l}.bias stays.
/// </summary>
public sealed class Mlp
{
    private ComputeContext _compute = ComputeContext.Default;
    private readonly int[] _sizes;          // [in, H1, ..., Hn, 1], or [in, H1, ..., Hn] without the output unit
    private readonly Parameter?[] _weights;  // null for a low-rank layer
    private readonly LowRankFactors?[] _factors;
    private readonly Parameter[] _biases;
    private float[][] _down = [];           // low-rank layers: φ(x·Down + DownBias) [B, k]; empty otherwise
    private float[][] _dDown = [];
    private float[][] _hidden = [];         // post-dropout outputs h(l) [B, H_l]
    private float[][] _dHidden = [];        // gradients w.r.t. h(l), then (in place) w.r.t. the pre-activations [B, H_l]
    private float[] _output = [];           // [B]; empty without the output unit
    private float[] _dOutput = [];          // [B]; empty without the output unit
    private readonly float _dropout;
    private readonly SeededRandom _dropoutRandom;
    private readonly LayerPhaseNames[] _phases;
    private readonly MlpPassJobs.ActivationForward _activationForward = new();
    private readonly MlpPassJobs.ActivationBackward _activationBackward = new();
    private readonly MlpPassJobs.TanhForward _tanhForward = new();
    private readonly MlpPassJobs.TanhBackward _tanhBackward = new();
    private readonly MlpPassJobs.OutputForward _outputForward = new();
    private readonly MlpPassJobs.OutputBackward _outputBackward = new();
    private float _lastForwardScale = 1f;
    private float[][]? _derivative;          // tanh only: dropout(1 − tanh²) per hidden unit [B, H_l]

    /// <param name="ranks">Per hidden layer, the rank of its low-rank form (0: dense); null or empty: every layer dense.</param>
    /// <param name="innerRelu">Whether low-rank layers apply a ReLU between their factors.</param>
    public Mlp(ParameterSet parameters, string prefix, int inputSize, IReadOnlyList<int> hiddenUnits, float dropout,
               SeededRandom initRandom, long dropoutSeed, Activation activation = Activation.Relu, bool outputUnit = true,
               IReadOnlyList<int>? ranks = null, bool innerRelu = true)
    {
        ranks ??= [];
        if (ranks.Count != 0 && ranks.Count != hiddenUnits.Count)
        {
            throw new ArgumentException($"{ranks.Count} ranks for {hiddenUnits.Count} hidden layers: give one per hidden layer (0 keeps it dense).",
                nameof(ranks));
        }

        if (dropout is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout rate must be in [0, 1).");
        }

        if (!outputUnit && hiddenUnits.Count == 0)
        {
            throw new ArgumentException("an Mlp without the output unit needs at least one hidden layer", nameof(hiddenUnits));
        }

        _sizes = outputUnit ? [inputSize, .. hiddenUnits, 1] : [inputSize, .. hiddenUnits];
        HasOutputUnit = outputUnit;
        int layers = _sizes.Length - 1;
        _weights = new Parameter?[layers];
        _factors = new LowRankFactors?[layers];
        _biases = new Parameter[layers];
        for (int l = 0; l < layers; l++)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            bool hidden = l < hiddenUnits.Count;
            int rank = hidden && ranks.Count > 0 ? ranks[l] : 0;
            if (rank < 0 || rank > fanOut)
            {
                throw new ArgumentOutOfRangeException(nameof(ranks), rank, $"layer {l} ({fanIn}→{fanOut}) takes a rank in 0..{fanOut}.");
            }

            // He-uniform before a ReLU, Xavier-uniform before a tanh and for the linear output layer; biases start at zero.
            double Bound(int into, int outOf, bool relu) => relu ? Math.Sqrt(6.0 / into) : Math.Sqrt(6.0 / (into + outOf));
            bool reluAfter = hidden && activation == Activation.Relu;
            if (rank == 0)
            {
                _weights[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.weight", ParameterRole.DenseWeight, fanIn, fanOut));
                _weights[l]!.Uniform(initRandom, Bound(fanIn, fanOut, reluAfter));
            }
            else
            {
                var factors = new LowRankFactors(
                    parameters.Add(Parameter.Dense($"{prefix}.{l}.down.weight", ParameterRole.DenseWeight, fanIn, rank)),
                    parameters.Add(Parameter.Dense($"{prefix}.{l}.down.bias", ParameterRole.Bias, rank)),
                    parameters.Add(Parameter.Dense($"{prefix}.{l}.up.weight", ParameterRole.DenseWeight, rank, fanOut)),
                    innerRelu);
                factors.Down.Uniform(initRandom, Bound(fanIn, rank, innerRelu));
                factors.Up.Uniform(initRandom, Bound(rank, fanOut, reluAfter));
                _factors[l] = factors;
            }

            _biases[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.bias", ParameterRole.Bias, fanOut));
        }

        Activation = activation;
        _phases = [.. Enumerable.Range(0, layers).Select(l => new LayerPhaseNames($"{prefix}.{l}"))];
        _dropout = dropout;
        _dropoutRandom = new SeededRandom(dropoutSeed);
    }

    /// <summary>Plans the activations for batches of up to <paramref name="maxBatchSize"/> rows, run with <paramref name="compute"/> (default: <see cref="ComputeContext.Default"/>).</summary>
    public Mlp Prepare(int maxBatchSize, ComputeContext? compute = null)
    {
        _compute = compute ?? ComputeContext.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _hidden = [.. _sizes[1..(HasOutputUnit ? ^1 : ^0)].Select(h => new float[checked(maxBatchSize * h)])];
        _down = [.. _factors.Take(_hidden.Length).Select(f => f is null ? [] : new float[checked(maxBatchSize * f.Rank)])];
        _dDown = [.. _down.Select(d => new float[d.Length])];
        _dHidden = [.. _hidden.Select(h => new float[h.Length])];
        _derivative = Activation == Activation.Tanh ? [.. _hidden.Select(h => new float[h.Length])] : null;
        _output = HasOutputUnit ? new float[maxBatchSize] : [];
        _dOutput = HasOutputUnit ? new float[maxBatchSize] : [];
        MaxBatchSize = maxBatchSize;
        return this;
    }

    public int InputSize => _sizes[0];

    public int HiddenLayerCount => _sizes.Length - (HasOutputUnit ? 2 : 1);

    /// <summary>Whether the last layer is the 1-unit output; without it the output is the last hidden activation.</summary>
    public bool HasOutputUnit { get; }

    /// <summary>Values per row of the output: 1, or the last hidden width without the output unit.</summary>
    public int OutputSize => _sizes[^1];

    /// <summary>Rows the activations are planned for; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    public float DropoutRate => _dropout;

    public Activation Activation { get; }

    /// <summary>W(l) [in, out] per layer, the output unit's (when there is one) last; null for a low-rank layer.</summary>
    public IReadOnlyList<Parameter?> Weights => _weights;

    /// <summary>Per layer, its low-rank factors, or null for a dense layer.</summary>
    public IReadOnlyList<LowRankFactors?> Factors => _factors;

    /// <summary>
    /// Called in <see cref="Forward"/> with each hidden layer's product x·W(l) [B, out] (before its bias and activation):
    /// how output statistics for low-rank compression see the layers without a second pass. Null: nothing is called.
    /// </summary>
    public LayerProductObserver? ProductObserver { get; set; }

    /// <summary>Hidden layer <paramref name="layer"/>'s output a(l) [B, H_l] of the last forward (after activation and dropout).</summary>
    public ReadOnlySpan<float> HiddenOutput(int layer, int batchSize) => _hidden[layer].AsSpan(0, batchSize * _sizes[layer + 1]);

    /// <summary>Whether any layer is low-rank.</summary>
    public bool IsLowRank => _factors.Any(f => f is not null);

    /// <summary>b(l) per layer, the output unit's (when there is one) last.</summary>
    public IReadOnlyList<Parameter> Biases => _biases;

    /// <summary>
    /// The layers as plan ops over <paramref name="input"/>, the output unit into the logits: dense or as the sparse planner
    /// chooses. Without low-rank layers the whole network goes to the planner (which may compile a pruned one into its live
    /// sub-network); otherwise layer by layer, a low-rank layer as its two factors (down with φ, up with the layer's bias and
    /// activation), each pruned factor planned like any pruned layer. Over AFM's projected embeddings the first layer is fused
    /// unless it is pruned and its pruned form pays (<see cref="PlanBuilder.FirstLayer"/>).
    /// </summary>
    internal void Lower(PlanBuilder plan, TapeRegion input)
    {
        bool onlyOutput = HasOutputUnit && _weights.Length == 1;
        (TapeRegion current, float[] firstWeight, float[] firstBias) = _factors[0] is { } first
            ? plan.FirstLayer(input, first.Down.Value, first.DownBias.Value, first.InnerRelu ? Activation.Relu : null)
            : plan.FirstLayer(input, _weights[0]!.Value, _biases[0].Value, onlyOutput ? null : Activation);
        if (!IsLowRank)
        {
            float[][] weights = [firstWeight, .. _weights.Skip(1).Select(w => w!.Value)];
            float[][] biases = [firstBias, .. _biases.Skip(1).Select(b => b.Value)];
            plan.Mlp(weights, biases, Activation, current);
            return;
        }

        for (int l = 0; l < _weights.Length; l++)
        {
            bool output = HasOutputUnit && l == _weights.Length - 1;
            if (_factors[l] is { } f)
            {
                current = plan.Layer(l == 0 ? firstWeight : f.Down.Value, l == 0 ? firstBias : f.DownBias.Value, current,
                    f.InnerRelu ? Activation.Relu : null);
                current = plan.Layer(f.Up.Value, _biases[l].Value, current, Activation);
            }
            else
            {
                current = plan.Layer(l == 0 ? firstWeight : _weights[l]!.Value, l == 0 ? firstBias : _biases[l].Value, current,
                    output ? null : Activation, toLogits: output);
            }
        }
    }

    /// <summary>Restarts the dropout stream, e.g. to replay the exact same masks in a gradient check.</summary>
    public void ResetDropout(long seed) => _dropoutRandom.Reset(seed);

    /// <param name="input">[B, in].</param>
    /// <param name="output">[B, <see cref="OutputSize"/>]: the single output unit, or the last hidden activation.</param>
    public void Forward(ReadOnlySpan<float> input, int batchSize, Span<float> output, bool training)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        bool useDropout = training && _dropout > 0f;
        ReadOnlySpan<float> a = input;
        _lastForwardScale = 1f;
        for (int l = 0; l < _hidden.Length; l++)
        {
            int width = _sizes[l + 1];
            ForwardProduct(l, a, batchSize);
            ProductObserver?.Invoke(l, _hidden[l].AsSpan(0, batchSize * width), batchSize);
            _compute.EndPhase(_phases[l].Forward);
            DropoutStream? dropout = useDropout ? DropoutStream.Take(_dropoutRandom, _dropout, (long)batchSize * width, _compute.BatchShard) : null;
            if (_derivative is null)
            {
                _activationForward.Run(_compute, _hidden[l], _biases[l].Value, width, batchSize, dropout);
            }
            else
            {
                _tanhForward.Run(_compute, _hidden[l], _biases[l].Value, _derivative[l], width, batchSize, dropout);
            }

            _lastForwardScale = dropout?.Scale ?? 1f;
            _compute.EndPhase(_phases[l].Activation);
            a = _hidden[l].AsSpan(0, batchSize * width);
        }

        if (!HasOutputUnit)
        {
            a.CopyTo(output);
            return;
        }

        int last = _weights.Length - 1;
        if (_hidden.Length == 0)
        {
            Linear.Forward(_compute, a, _weights[last]!.Value, _biases[last].Value, batchSize, _sizes[last], 1, output);
        }
        else
        {
            _outputForward.Run(_compute, _hidden[last - 1], _weights[last]!.Value, _biases[last].Value[0], _output, _sizes[last], batchSize);
            _output.AsSpan(0, batchSize).CopyTo(output);
        }

        _compute.EndPhase(_phases[last].Forward);
    }

    /// <param name="dInput">[B, in], accumulated; empty when the input needs no gradient.</param>
    /// <param name="overwriteInput">
    /// Write <paramref name="dInput"/> instead of accumulating: for a model whose Mlp is the first of several consumers
    /// to fill a fresh gradient buffer, which then needs no clearing.
    /// </param>
    /// <param name="dOutput">[B, <see cref="OutputSize"/>].</param>
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dInput,
                         bool overwriteInput = false)
    {
        if (!HasOutputUnit)
        {
            int top = _hidden.Length - 1;
            dOutput[..(batchSize * _sizes[top + 1])].CopyTo(_dHidden[top]);
            ActivationBackward(top, batchSize);
            BackwardLayers(top, input, batchSize, dInput, overwriteInput);
            return;
        }

        int last = _weights.Length - 1;
        if (_hidden.Length == 0)
        {
            if (overwriteInput)
            {
                dInput[..(batchSize * _sizes[0])].Clear();
            }

            Linear.Backward(_compute, input, _weights[last]!.Value, dOutput, batchSize, _sizes[0], 1, dInput,
                _weights[last]!.Grad!, _biases[last].Grad!);
            return;
        }

        // The output layer's backward, fused with the top hidden layer's activation backward and bias gradient.
        dOutput[..batchSize].CopyTo(_dOutput);
        Linear.BackwardBias(dOutput, batchSize, 1, _biases[last].Grad!);
        if (_derivative is not null)
        {
            Linear.BackwardWeights(_compute, _hidden[last - 1], _dOutput, batchSize, _sizes[last], 1, _weights[last]!.Grad!);
            Linear.MultiplyTransposedWeights(_compute, _dOutput, _weights[last]!.Value, batchSize, _sizes[last], 1, _dHidden[last - 1], accumulate: false);
            _tanhBackward.Run(_compute, _derivative[last - 1], _dHidden[last - 1], _biases[last - 1].Grad!, _sizes[last], batchSize);
        }
        else
        {
            _outputBackward.Run(_compute, _hidden[last - 1], _dOutput, _weights[last]!.Value, _weights[last]!.Grad!, _dHidden[last - 1],
            _biases[last - 1].Grad!, _sizes[last], batchSize, _lastForwardScale);
        }

        _compute.EndPhase(_phases[last].OutputBackward);
        BackwardLayers(last - 1, input, batchSize, dInput, overwriteInput);
    }

    /// <summary>Layers top..0, given the pre-activation gradient of hidden layer <paramref name="top"/> in its buffer.</summary>
    private void BackwardLayers(int top, ReadOnlySpan<float> input, int batchSize, Span<float> dInput, bool overwriteInput)
    {
        for (int l = top; l >= 0; l--)
        {
            ReadOnlySpan<float> a = l == 0 ? input : _hidden[l - 1].AsSpan(0, batchSize * _sizes[l]);
            ReadOnlySpan<float> dZ = _dHidden[l].AsSpan(0, batchSize * _sizes[l + 1]);
            if (_factors[l] is { } factors)
            {
                dZ = FactorBackward(l, factors, dZ, batchSize);
            }

            int inner = _factors[l]?.Rank ?? _sizes[l + 1];
            float[] weight = _factors[l]?.Down.Value ?? _weights[l]!.Value;
            Linear.BackwardWeights(_compute, a, dZ, batchSize, _sizes[l], inner, _factors[l]?.Down.Grad ?? _weights[l]!.Grad!);
            _compute.EndPhase(_phases[l].BackwardWeights);
            if (l > 0)
            {
                // _dHidden[l - 1] is this step's own buffer: overwrite it rather than clear and accumulate.
                Linear.MultiplyTransposedWeights(_compute, dZ, weight, batchSize, _sizes[l], inner, _dHidden[l - 1], accumulate: false);
                _compute.EndPhase(_phases[l].BackwardData);
                ActivationBackward(l - 1, batchSize);
            }
            else if (!dInput.IsEmpty)
            {
                Linear.MultiplyTransposedWeights(_compute, dZ, weight, batchSize, _sizes[l], inner, dInput, accumulate: !overwriteInput);
                _compute.EndPhase(_phases[l].BackwardData);
            }
        }
    }

    /// <summary>z(l) [B, out] = x·W(l), or x·Down → +DownBias → φ → ·Up for a low-rank layer.</summary>
    private void ForwardProduct(int l, ReadOnlySpan<float> a, int batchSize)
    {
        int width = _sizes[l + 1];
        if (_factors[l] is not { } factors)
        {
            Linear.ForwardUnbiased(_compute, a, _weights[l]!.Value, batchSize, _sizes[l], width, _hidden[l]);
            return;
        }

        int k = factors.Rank;
        Linear.ForwardUnbiased(_compute, a, factors.Down.Value, batchSize, _sizes[l], k, _down[l]);
        if (factors.InnerRelu)
        {
            _activationForward.Run(_compute, _down[l], factors.DownBias.Value, k, batchSize, dropout: null);
        }
        else
        {
            Linear.AddBias(_down[l], factors.DownBias.Value, batchSize, k);
        }

        Linear.ForwardUnbiased(_compute, _down[l].AsSpan(0, batchSize * k), factors.Up.Value, batchSize, k, width, _hidden[l]);
    }

    /// <summary>
    /// Through the Up factor and φ of a low-rank layer, given dZ(l): dUp += dᵀ·dZ, then the gradient at the Down factor's
    /// pre-activation [B, k] (with the DownBias gradient), which is returned for the Down factor's backward.
    /// </summary>
    private ReadOnlySpan<float> FactorBackward(int l, LowRankFactors factors, ReadOnlySpan<float> dZ, int batchSize)
    {
        int k = factors.Rank, width = _sizes[l + 1];
        Linear.BackwardWeights(_compute, _down[l].AsSpan(0, batchSize * k), dZ, batchSize, k, width, factors.Up.Grad!);
        Linear.MultiplyTransposedWeights(_compute, dZ, factors.Up.Value, batchSize, k, width, _dDown[l], accumulate: false);
        if (factors.InnerRelu)
        {
            _activationBackward.Run(_compute, _down[l], _dDown[l], factors.DownBias.Grad!, k, batchSize, 1f);
        }
        else
        {
            Linear.BackwardBias(_dDown[l], batchSize, k, factors.DownBias.Grad!);
        }

        return _dDown[l].AsSpan(0, batchSize * k);
    }

    /// <summary>Hidden layer l's activation (and dropout) backward in place over its gradient buffer, with its bias gradient.</summary>
    private void ActivationBackward(int l, int batchSize)
    {
        if (_derivative is null)
        {
            _activationBackward.Run(_compute, _hidden[l], _dHidden[l], _biases[l].Grad!, _sizes[l + 1], batchSize, _lastForwardScale);
        }
        else
        {
            _tanhBackward.Run(_compute, _derivative[l], _dHidden[l], _biases[l].Grad!, _sizes[l + 1], batchSize);
        }

        _compute.EndPhase(_phases[l].ActivationBackward);
    }
}
