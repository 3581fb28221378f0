using Clickwise.Kernels;

namespace Clickwise.Layers;

/// <summary>
/// DeepFM's DNN component (Guo et al., eq. 7-8): hidden layers a(l+1) = dropout(ReLU(a(l)·W(l) + b(l))) (or tanh) followed
/// by a final Linear to one output, y = a(H)·W(H+1) + b(H+1). Owns its parameters (registered into the model's
/// <see cref="ParameterSet"/> as mlp.{l}.weight / mlp.{l}.bias, l = 0..H) and activations planned for the
/// maximum batch, so a step allocates nothing.
/// </summary>
public sealed class Mlp
{
    private ComputeContext _compute = ComputeContext.Default;
    private readonly int[] _sizes;          // [in, H1, ..., Hn, 1]
    private readonly Parameter[] _weights;
    private readonly Parameter[] _biases;
    private float[][] _hidden = [];         // post-dropout outputs h(l) [B, H_l]
    private float[][] _dHidden = [];        // gradients w.r.t. h(l), then (in place) w.r.t. the pre-activations [B, H_l]
    private float[] _output = [];           // [B]
    private float[] _dOutput = [];          // [B]
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

    public Mlp(ParameterSet parameters, string prefix, int inputSize, IReadOnlyList<int> hiddenUnits, float dropout,
               SeededRandom initRandom, long dropoutSeed, Activation activation = Activation.Relu)
    {
        if (dropout is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout rate must be in [0, 1).");
        }

        _sizes = [inputSize, .. hiddenUnits, 1];
        int layers = _sizes.Length - 1;
        _weights = new Parameter[layers];
        _biases = new Parameter[layers];
        for (int l = 0; l < layers; l++)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            _weights[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.weight", ParameterRole.DenseWeight, fanIn, fanOut));
            _biases[l] = parameters.Add(Parameter.Dense($"{prefix}.{l}.bias", ParameterRole.Bias, fanOut));
            // He-uniform before a ReLU, Xavier-uniform before a tanh and for the linear output layer; biases start at zero.
            double bound = l < layers - 1 && activation == Activation.Relu ? Math.Sqrt(6.0 / fanIn) : Math.Sqrt(6.0 / (fanIn + fanOut));
            _weights[l].Uniform(initRandom, bound);
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
        _hidden = [.. _sizes[1..^1].Select(h => new float[checked(maxBatchSize * h)])];
        _dHidden = [.. _hidden.Select(h => new float[h.Length])];
        _derivative = Activation == Activation.Tanh ? [.. _hidden.Select(h => new float[h.Length])] : null;
        _output = new float[maxBatchSize];
        _dOutput = new float[maxBatchSize];
        MaxBatchSize = maxBatchSize;
        return this;
    }

    public int InputSize => _sizes[0];

    public int HiddenLayerCount => _sizes.Length - 2;

    /// <summary>Rows the activations are planned for; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    public float DropoutRate => _dropout;

    public Activation Activation { get; }

    /// <summary>W(l) [in, out] per layer, the output unit's last.</summary>
    public IReadOnlyList<Parameter> Weights => _weights;

    /// <summary>b(l) per layer, the output unit's last.</summary>
    public IReadOnlyList<Parameter> Biases => _biases;

    /// <summary>Restarts the dropout stream, e.g. to replay the exact same masks in a gradient check.</summary>
    public void ResetDropout(long seed) => _dropoutRandom.Reset(seed);

    /// <param name="input">[B, in].</param>
    /// <param name="output">[B] (the single output unit).</param>
    public void Forward(ReadOnlySpan<float> input, int batchSize, Span<float> output, bool training)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        bool useDropout = training && _dropout > 0f;
        ReadOnlySpan<float> a = input;
        _lastForwardScale = 1f;
        for (int l = 0; l < _hidden.Length; l++)
        {
            int width = _sizes[l + 1];
            Linear.ForwardUnbiased(_compute, a, _weights[l].Value, batchSize, _sizes[l], width, _hidden[l]);
            _compute.EndPhase(_phases[l].Forward);
            DropoutStream? dropout = useDropout ? DropoutStream.Take(_dropoutRandom, _dropout, (long)batchSize * width) : null;
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

        int last = _weights.Length - 1;
        if (_hidden.Length == 0)
        {
            Linear.Forward(_compute, a, _weights[last].Value, _biases[last].Value, batchSize, _sizes[last], 1, output);
        }
        else
        {
            _outputForward.Run(_compute, _hidden[last - 1], _weights[last].Value, _biases[last].Value[0], _output, _sizes[last], batchSize);
            _output.AsSpan(0, batchSize).CopyTo(output);
        }

        _compute.EndPhase(_phases[last].Forward);
    }

    /// <param name="dInput">[B, in], accumulated; empty when the input needs no gradient.</param>
    /// <param name="overwriteInput">
    /// Write <paramref name="dInput"/> instead of accumulating: for a model whose Mlp is the first of several consumers
    /// to fill a fresh gradient buffer, which then needs no clearing.
    /// </param>
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dInput,
                         bool overwriteInput = false)
    {
        int last = _weights.Length - 1;
        if (_hidden.Length == 0)
        {
            if (overwriteInput)
            {
                dInput[..(batchSize * _sizes[0])].Clear();
            }

            Linear.Backward(_compute, input, _weights[last].Value, dOutput, batchSize, _sizes[0], 1, dInput,
                _weights[last].Grad!, _biases[last].Grad!);
            return;
        }

        // The output layer's backward, fused with the top hidden layer's activation backward and bias gradient.
        dOutput[..batchSize].CopyTo(_dOutput);
        Linear.BackwardBias(dOutput, batchSize, 1, _biases[last].Grad!);
        if (_derivative is not null)
        {
            Linear.BackwardWeights(_compute, _hidden[last - 1], _dOutput, batchSize, _sizes[last], 1, _weights[last].Grad!);
            Linear.MultiplyTransposedWeights(_compute, _dOutput, _weights[last].Value, batchSize, _sizes[last], 1, _dHidden[last - 1], accumulate: false);
            _tanhBackward.Run(_compute, _derivative[last - 1], _dHidden[last - 1], _biases[last - 1].Grad!, _sizes[last], batchSize);
        }
        else
        {
            _outputBackward.Run(_compute, _hidden[last - 1], _dOutput, _weights[last].Value, _weights[last].Grad!, _dHidden[last - 1],
            _biases[last - 1].Grad!, _sizes[last], batchSize, _lastForwardScale);
        }

        _compute.EndPhase(_phases[last].OutputBackward);
        for (int l = last - 1; l >= 0; l--)
        {
            ReadOnlySpan<float> a = l == 0 ? input : _hidden[l - 1].AsSpan(0, batchSize * _sizes[l]);
            ReadOnlySpan<float> dZ = _dHidden[l].AsSpan(0, batchSize * _sizes[l + 1]);
            Linear.BackwardWeights(_compute, a, dZ, batchSize, _sizes[l], _sizes[l + 1], _weights[l].Grad!);
            _compute.EndPhase(_phases[l].BackwardWeights);
            if (l > 0)
            {
                // _dHidden[l - 1] is this step's own buffer: overwrite it rather than clear and accumulate.
                Linear.MultiplyTransposedWeights(_compute, dZ, _weights[l].Value, batchSize, _sizes[l], _sizes[l + 1],
                    _dHidden[l - 1], accumulate: false);
                _compute.EndPhase(_phases[l].BackwardData);
                if (_derivative is null)
                {
                    _activationBackward.Run(_compute, _hidden[l - 1], _dHidden[l - 1], _biases[l - 1].Grad!, _sizes[l], batchSize,
                        _lastForwardScale);
                }
                else
                {
                    _tanhBackward.Run(_compute, _derivative[l - 1], _dHidden[l - 1], _biases[l - 1].Grad!, _sizes[l], batchSize);
                }

                _compute.EndPhase(_phases[l - 1].ActivationBackward);
            }
            else if (!dInput.IsEmpty)
            {
                Linear.MultiplyTransposedWeights(_compute, dZ, _weights[l].Value, batchSize, _sizes[l], _sizes[l + 1], dInput,
                    accumulate: !overwriteInput);
                _compute.EndPhase(_phases[l].BackwardData);
            }
        }
    }
}
