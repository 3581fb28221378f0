namespace Clickwise.Layers;

/// <summary>
/// DeepFM's DNN component (Guo et al., eq. 7-8): hidden layers a(l+1) = dropout(ReLU(a(l)·W(l) + b(l))) followed
/// by a final Linear to one output, y = a(H)·W(H+1) + b(H+1). Owns its parameters (registered into the model's
/// <see cref="ParameterSet"/> as mlp.{l}.weight / mlp.{l}.bias, l = 0..H) and activations planned for the
/// maximum batch, so a step allocates nothing.
/// </summary>
public sealed class Mlp
{
    private readonly int[] _sizes;          // [in, H1, ..., Hn, 1]
    private readonly Parameter[] _weights;
    private readonly Parameter[] _biases;
    private readonly float[][] _hidden;     // ReLU outputs h(l) [B, H_l]
    private readonly float[][] _masks;      // dropout scales [B, H_l]
    private readonly float[][] _dHidden;    // gradients w.r.t. the (dropped-out) layer outputs [B, H_l]
    private readonly float _dropout;
    private readonly SeededRandom _dropoutRandom;
    private bool _maskedLastForward;

    public Mlp(ParameterSet parameters, string prefix, int inputSize, IReadOnlyList<int> hiddenUnits, float dropout,
               int maxBatchSize, SeededRandom initRandom, long dropoutSeed)
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
            // He-uniform before a ReLU, Xavier-uniform for the linear output layer; biases start at zero.
            double bound = l < layers - 1 ? Math.Sqrt(6.0 / fanIn) : Math.Sqrt(6.0 / (fanIn + fanOut));
            initRandom.FillUniform(_weights[l].Value, bound);
        }

        int hiddenCount = hiddenUnits.Count;
        _hidden = new float[hiddenCount][];
        _masks = new float[hiddenCount][];
        _dHidden = new float[hiddenCount][];
        for (int l = 0; l < hiddenCount; l++)
        {
            int n = checked(maxBatchSize * hiddenUnits[l]);
            _hidden[l] = new float[n];
            _masks[l] = dropout > 0f ? new float[n] : [];
            _dHidden[l] = new float[n];
        }

        _dropout = dropout;
        _dropoutRandom = new SeededRandom(dropoutSeed);
        MaxBatchSize = maxBatchSize;
    }

    public int InputSize => _sizes[0];

    public int HiddenLayerCount => _hidden.Length;

    public int MaxBatchSize { get; }

    public float DropoutRate => _dropout;

    /// <summary>Restarts the dropout stream, e.g. to replay the exact same masks in a gradient check.</summary>
    public void ResetDropout(long seed) => _dropoutRandom.Reset(seed);

    /// <summary>The dropout generator's state, for checkpoints: restoring it makes a resumed run draw the same masks.</summary>
    public ulong DropoutState
    {
        get => _dropoutRandom.State;
        set => _dropoutRandom.State = value;
    }

    /// <param name="input">[B, in].</param>
    /// <param name="output">[B] (the single output unit).</param>
    public void Forward(ReadOnlySpan<float> input, int batchSize, Span<float> output, bool training)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        bool useDropout = training && _dropout > 0f;
        ReadOnlySpan<float> a = input;
        for (int l = 0; l < _hidden.Length; l++)
        {
            int n = batchSize * _sizes[l + 1];
            Span<float> h = _hidden[l].AsSpan(0, n);
            Linear.Forward(a, _weights[l].Value, _biases[l].Value, batchSize, _sizes[l], _sizes[l + 1], h);
            Relu.Forward(h, n, h);
            if (useDropout)
            {
                // In place: backward needs only the mask and the sign of h, and h·mask > 0 ⇔ h > 0 when kept.
                Span<float> mask = _masks[l].AsSpan(0, n);
                Dropout.FillMask(_dropoutRandom, _dropout, mask);
                Dropout.Forward(h, mask, n, h);
            }

            a = h;
        }

        int last = _weights.Length - 1;
        Linear.Forward(a, _weights[last].Value, _biases[last].Value, batchSize, _sizes[last], 1, output);
        _maskedLastForward = useDropout;
    }

    /// <param name="dInput">[B, in], accumulated; empty when the input needs no gradient.</param>
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dInput)
    {
        int last = _weights.Length - 1;
        for (int l = last; l >= 0; l--)
        {
            ReadOnlySpan<float> a = l == 0 ? input : _hidden[l - 1].AsSpan(0, batchSize * _sizes[l]);
            ReadOnlySpan<float> dY = l == last ? dOutput : _dHidden[l].AsSpan(0, batchSize * _sizes[l + 1]);
            Span<float> dA = l == 0 ? dInput : _dHidden[l - 1].AsSpan(0, batchSize * _sizes[l]);
            if (l > 0)
            {
                dA.Clear();
            }

            Linear.Backward(a, _weights[l].Value, dY, batchSize, _sizes[l], _sizes[l + 1],
                dA, _weights[l].Grad!, _biases[l].Grad!);
            if (l > 0)
            {
                BackwardThroughActivation(l - 1, batchSize);
            }
        }
    }

    /// <summary>Turns ∂L/∂(layer output) into ∂L/∂(pre-activation), in place in _dHidden.</summary>
    private void BackwardThroughActivation(int hiddenIndex, int batchSize)
    {
        int n = batchSize * _sizes[hiddenIndex + 1];
        Span<float> d = _dHidden[hiddenIndex].AsSpan(0, n);
        ReadOnlySpan<float> h = _hidden[hiddenIndex].AsSpan(0, n);
        ReadOnlySpan<float> mask = _maskedLastForward ? _masks[hiddenIndex].AsSpan(0, n) : default;
        for (int i = 0; i < n; i++)
        {
            // Stored h is post-dropout; a dropped unit has h = 0 and gets zero gradient either way.
            float g = _maskedLastForward ? d[i] * mask[i] : d[i];
            d[i] = h[i] > 0f ? g : 0f;
        }
    }
}
