using System.Runtime.CompilerServices;

namespace Clickwise.Kernels;

/// <summary>
/// A pruned MLP (ReLU hidden layers, one output unit) compiled into its live sub-network, run one row at a time.
/// Pruning leaves neurons that no surviving weight reaches — their output is the constant ReLU(b), folded into the
/// next layer's biases — and neurons no surviving weight reads, which are dropped; at 99% sparsity that is about a
/// third of a 400-wide layer. The live neurons of each layer are stored in sliced ELLPACK order (sorted by in-degree,
/// slices of <see cref="SliceWidth"/> lanes padded with zero weights), and the next layer indexes its inputs in that
/// order, so activations stay contiguous and no permutation is ever applied. A layer is a fixed sequence of 8-lane
/// gathers and FMAs: nothing branches on the input.
/// </summary>
public sealed class SparseMlp
{
    public const int SliceWidth = SlicedEllMatrix.SliceWidth;

    private readonly Layer[] _layers;
    private readonly float[] _outputWeights; // over the last hidden layer's sorted, padded neurons
    private readonly float _outputBias;
    private readonly ISlicedEllKernel _kernel = KernelRegistry.SlicedEll;

    private SparseMlp(int inputSize, Layer[] layers, float[] outputWeights, float outputBias, int nonZero, int[] hiddenSizes)
    {
        InputSize = inputSize;
        _layers = layers;
        _outputWeights = outputWeights;
        _outputBias = outputBias;
        NonZeroCount = nonZero;
        HiddenSizes = hiddenSizes;
        Width = Math.Max(SliceWidth, layers.Length == 0 ? 0 : layers.Max(l => l.Bias.Length));
    }

    public int InputSize { get; }

    /// <summary>Floats of scratch per activation buffer; <see cref="Forward"/> needs two.</summary>
    public int Width { get; }

    /// <summary>Surviving weights of the live sub-network (padding and folded weights excluded).</summary>
    public int NonZeroCount { get; }

    /// <summary>Live neurons per hidden layer.</summary>
    public IReadOnlyList<int> LiveNeurons => [.. _layers.Select(l => l.Live)];

    /// <summary>The hidden layer sizes before compaction.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    public long Bytes => _layers.Sum(l => ((long)l.SliceStart.Length + l.Index.Length + l.Value.Length + l.Bias.Length) * sizeof(float))
        + (_outputWeights.LongLength + 1) * sizeof(float);

    /// <summary>
    /// Compiles layers given as row-major weights [in, out] and biases [out]: ReLU after each but the last, whose
    /// output is a single unit.
    /// </summary>
    public static SparseMlp FromDense(IReadOnlyList<float[]> weights, IReadOnlyList<float[]> biases, int inputSize)
    {
        int count = weights.Count;
        if (count < 1 || biases.Count != count || biases[count - 1].Length != 1)
        {
            throw new ArgumentException("a sparse MLP needs matching weights and biases, ending in one output unit");
        }

        int[] sizes = [inputSize, .. biases.Select(b => b.Length)];
        for (int l = 0; l < count; l++)
        {
            if (weights[l].Length != sizes[l] * sizes[l + 1])
            {
                throw new ArgumentException($"layer {l}: {weights[l].Length} weights, expected {sizes[l]}x{sizes[l + 1]}");
            }
        }

        double[][] bias = [.. biases.Select(b => b.Select(v => (double)v).ToArray())];
        int hidden = count - 1;
        var live = new bool[hidden][];

        // Forward: a neuron without a live input weight is the constant ReLU(b); fold it into the next layer.
        for (int l = 0; l < hidden; l++)
        {
            live[l] = new bool[sizes[l + 1]];
            for (int j = 0; j < sizes[l + 1]; j++)
            {
                for (int i = 0; i < sizes[l] && !live[l][j]; i++)
                {
                    live[l][j] = weights[l][i * sizes[l + 1] + j] != 0f && (l == 0 || live[l - 1][i]);
                }

                if (!live[l][j])
                {
                    double constant = Math.Max(0.0, bias[l][j]);
                    for (int k = 0; k < sizes[l + 2]; k++)
                    {
                        bias[l + 1][k] += constant * weights[l + 1][j * sizes[l + 2] + k];
                    }
                }
            }
        }

        // Backward: a neuron whose output no live weight reads does not matter.
        for (int l = hidden - 1; l >= 0; l--)
        {
            for (int j = 0; j < sizes[l + 1]; j++)
            {
                bool read = false;
                for (int k = 0; k < sizes[l + 2] && !read && live[l][j]; k++)
                {
                    read = weights[l + 1][j * sizes[l + 2] + k] != 0f && (l + 1 == hidden || live[l + 1][k]);
                }

                live[l][j] &= read;
            }
        }

        var layers = new Layer[hidden];
        int[] position = [.. Enumerable.Range(0, inputSize)]; // where each input of the current layer sits
        bool[] inputLive = [.. Enumerable.Repeat(true, inputSize)];
        int nonZero = 0;
        for (int l = 0; l < hidden; l++)
        {
            int n = sizes[l + 1];
            int[] degree = new int[n];
            for (int i = 0; i < sizes[l]; i++)
            {
                if (!inputLive[i])
                {
                    continue;
                }

                for (int j = 0; j < n; j++)
                {
                    if (live[l][j] && weights[l][i * n + j] != 0f)
                    {
                        degree[j]++;
                    }
                }
            }

            int[] order = [.. Enumerable.Range(0, n).Where(j => live[l][j]).OrderByDescending(j => degree[j]).ThenBy(j => j)];
            layers[l] = Layer.Build(weights[l], bias[l], sizes[l], n, order, degree, inputLive, position);
            nonZero += order.Sum(j => degree[j]);
            position = new int[n];
            for (int p = 0; p < order.Length; p++)
            {
                position[order[p]] = p;
            }

            inputLive = live[l];
        }

        int last = sizes[count - 1];
        var outputWeights = new float[hidden == 0 ? inputSize : layers[hidden - 1].Bias.Length];
        for (int i = 0; i < last; i++)
        {
            float w = weights[count - 1][i];
            if (w != 0f && inputLive[i])
            {
                outputWeights[position[i]] = w;
                nonZero++;
            }
        }

        return new SparseMlp(inputSize, layers, outputWeights, (float)bias[count - 1][0], nonZero, sizes[1..^1]);
    }

    /// <summary>The output unit's value for one input row; <paramref name="a"/> and <paramref name="b"/> hold <see cref="Width"/> floats each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe float Forward(float* input, float* a, float* b)
    {
        float* x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            float* y = (l & 1) == 0 ? a : b;
            _layers[l].Run(_kernel, x, y);
            x = y;
        }

        fixed (float* w = _outputWeights)
        {
            return _kernel.Dot(x, w, _outputWeights.Length, _outputBias);
        }
    }

    private sealed class Layer(int live, int[] sliceStart, int[] index, float[] value, float[] bias)
    {
        public int Live { get; } = live;

        public int[] SliceStart { get; } = sliceStart; // [slices + 1], in steps of SliceWidth entries

        public int[] Index { get; } = index;

        public float[] Value { get; } = value;

        public float[] Bias { get; } = bias; // [slices · SliceWidth], 0 in padding lanes

        public static Layer Build(float[] weight, double[] bias, int inputs, int outputs, int[] order, int[] degree, bool[] inputLive,
                                  int[] position)
        {
            int slices = (order.Length + SliceWidth - 1) / SliceWidth;
            var sliceStart = new int[slices + 1];
            for (int s = 0; s < slices; s++)
            {
                sliceStart[s + 1] = sliceStart[s] + degree[order[s * SliceWidth]];
            }

            var index = new int[sliceStart[slices] * SliceWidth];
            var value = new float[index.Length];
            var sortedBias = new float[slices * SliceWidth];
            for (int p = 0; p < order.Length; p++)
            {
                int j = order[p], s = p / SliceWidth, lane = p % SliceWidth;
                sortedBias[p] = (float)bias[j];
                int at = sliceStart[s] * SliceWidth + lane;
                for (int i = 0; i < inputs; i++)
                {
                    float w = weight[i * outputs + j];
                    if (w != 0f && inputLive[i])
                    {
                        index[at] = position[i];
                        value[at] = w;
                        at += SliceWidth;
                    }
                }
            }

            return new Layer(order.Length, sliceStart, index, value, sortedBias);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public unsafe void Run(ISlicedEllKernel kernel, float* x, float* y)
        {
            fixed (int* starts = SliceStart, index = Index)
            fixed (float* value = Value, bias = Bias)
            {
                kernel.SumSlices(x, starts, index, value, SliceStart.Length - 1, bias, y, relu: true);
            }
        }
    }
}
