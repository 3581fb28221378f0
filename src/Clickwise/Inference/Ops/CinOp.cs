using System.Numerics.Tensors;
using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// xDeepFM's CIN over the embedding region, sum-pooled and through its output unit into the logits. Per sample the
/// D embedding positions are rows: X^0ᵀ [D, F], and layer k is Z^k [D, H'_{k−1}·F] (Z[d, i·F + j] = X^{k−1}[d, i] ·
/// X^0[d, j]) times W^k [H'_{k−1}·F, H_k] plus b^k — the stored [in, out] filter, so each layer is one prepared
/// dense product (packed GEMM, bias in its store) over the rows of several samples at once. The pooled units
/// p[h] = Σ_d X^k[d, h] then meet cin.output.weight. A batch-1 request is one GEMM of D rows.
/// </summary>
/// <remarks>
/// Z is H'·F times larger than a layer's output (1,950 floats per position at F = 39, H' = 50), so it is never held
/// for a whole block: samples go through in groups of about <see cref="GroupRows"/> positions, whose Z, X^0ᵀ and
/// layer outputs live in per-thread scratch (allocated on a thread's first call, reused after) and stay in L2
/// together with the filter being applied. Split-half layers send their first H_k/2 columns on and pool the rest.
/// A CIN layer is linear (no activation), so the units a layer only pools never need computing: their share of the
/// logit, Σ_d Σ_h w_h·(Z[d]·W[:, h] + b_h), is (Σ_d Z[d])·v + D·Σ_h w_h·b_h with v = W[:, pooled]·w folded when the op
/// is built. Split-half layers then multiply by half their filter and the last layer by none: 2.6× fewer multiply-adds
/// at the Criteo preset (H = 100, 100, 50), the whole CIN's cost being these products.
/// </remarks>
internal sealed class CinOp : IInferenceOp, IOnnxExportable
{
    /// <summary>Positions (samples × D) per group: Z of ~1 MB at H'·F = 1950, which measured as fast as 240 (48: 30% slower).</summary>
    private const int GroupRows = 120;

    /// <summary>
    /// A common multiple of the GEMM micro-kernels' tile heights (12, 6, 4): a group's rows are padded to it with zero
    /// rows of Z, so no tile takes the GEMM's edge path (scalar packing and a staged store), which doubled the time
    /// of a single request's 10 rows (95 → 39 µs for the 1950×100 layer).
    /// </summary>
    private const int TileRows = 12;

    private readonly int _f, _d, _embeddingOffset, _groupSamples, _maxInput, _maxUnits, _pooledWidth;
    private readonly int[] _units, _nextRows, _pooledStart, _outputOffset, _computed;
    private readonly IDenseProduct?[] _layers;

    // Per layer: its pooled units folded into one vector over Z's columns (null: the layer pools computed units) and the
    // folded biases' share of each sample's logit.
    private readonly float[]?[] _folded;
    private readonly float[] _foldedBias;
    private readonly float[] _outputWeight;
    private readonly long _parameterCount;

    // The filters and biases as trained, kept only for an export plan (the GEMM runs on its packed copies).
    private readonly float[][]? _weights, _biases;

    [ThreadStatic]
    private static float[]? t_scratch;

    public CinOp(float[][] weights, float[][] biases, float[] outputWeight, int fieldCount, int dim, IReadOnlyList<int> units,
                 bool splitHalf, int embeddingOffset, IGemm gemm, bool retainWeights = false)
    {
        (_weights, _biases) = retainWeights ? (weights, biases) : (null, null);
        _f = fieldCount;
        _d = dim;
        _embeddingOffset = embeddingOffset;
        _groupSamples = Math.Max(1, GroupRows / dim);
        int count = units.Count;
        _units = [.. units];
        _nextRows = new int[count];
        _pooledStart = new int[count];
        _outputOffset = new int[count];
        _computed = new int[count];
        _layers = new IDenseProduct?[count];
        _folded = new float[]?[count];
        _foldedBias = new float[count];
        int previous = fieldCount;
        for (int k = 0; k < count; k++)
        {
            int h = units[k], input = previous * fieldCount;
            if (weights[k].Length != input * h || biases[k].Length != h)
            {
                throw new InvalidDataException($"CIN layer {k}: weight {weights[k].Length} and bias {biases[k].Length} values, expected {input}x{h} and {h}");
            }

            bool split = splitHalf && k < count - 1;
            _nextRows[k] = split ? h / 2 : h;
            _pooledStart[k] = split ? h / 2 : 0;
            _outputOffset[k] = _pooledWidth;
            _pooledWidth += h - _pooledStart[k];
            _parameterCount += weights[k].LongLength + h;
            _maxInput = Math.Max(_maxInput, input);
            _maxUnits = Math.Max(_maxUnits, h);
            previous = _nextRows[k];
        }

        if (outputWeight.Length != _pooledWidth)
        {
            throw new InvalidDataException($"cin.output.weight has {outputWeight.Length} values, expected {_pooledWidth}");
        }

        for (int k = 0, input = fieldCount * fieldCount; k < count; input = _nextRows[k] * fieldCount, k++)
        {
            int h = units[k], read = k < count - 1 ? _nextRows[k] : 0;
            bool fold = _pooledStart[k] >= read;
            _computed[k] = fold ? read : h;
            if (fold)
            {
                (_folded[k], _foldedBias[k]) = Fold(weights[k], biases[k], input, h, _pooledStart[k], outputWeight.AsSpan(_outputOffset[k], h - _pooledStart[k]));
            }

            if (_computed[k] > 0)
            {
                _layers[k] = gemm.PrepareDense(Columns(weights[k], input, h, _computed[k]), biases[k][.._computed[k]], input, _computed[k], relu: false);
            }
        }

        _outputWeight = outputWeight;
        _parameterCount += outputWeight.LongLength;
    }

    public long ParameterCount => _parameterCount;

    public long Bytes => _layers.Sum(l => l?.Bytes ?? 0) + _folded.Sum(v => v?.LongLength ?? 0) * sizeof(float) + _outputWeight.LongLength * sizeof(float);

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int width = _f * _d, groupRows = RoundUp(_groupSamples * _d);
        ReadOnlySpan<float> emb = tape.Region(_embeddingOffset, width, batchSize);
        // Scratch: X^0ᵀ [rows, F] | Z [rows, max in] | two layer outputs [rows, max H] | pooled [max(in, H)].
        int x0Length = groupRows * _f, zLength = groupRows * _maxInput, xLength = groupRows * _maxUnits;
        float[] scratch = Scratch(x0Length + zLength + 2 * xLength + Math.Max(_maxInput, _maxUnits));
        Span<float> x0 = scratch.AsSpan(0, x0Length);
        Span<float> z = scratch.AsSpan(x0Length, zLength);
        Span<float> xa = scratch.AsSpan(x0Length + zLength, xLength);
        Span<float> xb = scratch.AsSpan(x0Length + zLength + xLength, xLength);
        Span<float> pooled = scratch.AsSpan(x0Length + zLength + 2 * xLength, Math.Max(_maxInput, _maxUnits));
        for (int first = rowStart; first < rowEnd; first += _groupSamples)
        {
            int samples = Math.Min(_groupSamples, rowEnd - first), rows = samples * _d, padded = RoundUp(rows);
            for (int s = 0; s < samples; s++)
            {
                ReadOnlySpan<float> e = emb.Slice((first + s) * width, width);
                Span<float> t = x0.Slice(s * _d * _f, _d * _f);
                for (int j = 0; j < _f; j++)
                {
                    for (int d = 0; d < _d; d++)
                    {
                        t[d * _f + j] = e[j * _d + d];
                    }
                }
            }

            ReadOnlySpan<float> previous = x0;
            int previousStride = _f, previousRows = _f;
            for (int k = 0; k < _units.Length; k++)
            {
                int input = previousRows * _f;
                Span<float> x = k % 2 == 0 ? xa : xb;
                for (int r = 0; r < rows; r++)
                {
                    ReadOnlySpan<float> x0Row = x0.Slice(r * _f, _f);
                    ReadOnlySpan<float> p = previous.Slice(r * previousStride, previousRows);
                    Span<float> zRow = z.Slice(r * input, input);
                    for (int i = 0; i < previousRows; i++)
                    {
                        TensorPrimitives.Multiply(x0Row, p[i], zRow.Slice(i * _f, _f));
                    }
                }

                if (_layers[k] is { } layer)
                {
                    z[(rows * input)..(padded * input)].Clear();
                    layer.Forward(z[..(padded * input)], padded, x);
                }

                if (_folded[k] is { } folded)
                {
                    PoolFolded(z, input, folded, _foldedBias[k], first, samples, pooled, logits);
                }
                else
                {
                    Pool(x, k, first, samples, pooled, logits);
                }

                previous = x;
                previousStride = _computed[k];
                previousRows = _nextRows[k];
            }
        }
    }

    /// <summary>
    /// Per sample, positions d are rows: Z [N, D, H', F] = X^{k−1} [N, D, H', 1] ⊙ X^0ᵀ [N, D, 1, F], flattened to H'·F and times
    /// W^k plus b^k, [N, D, H_k]; the pooled units summed over D, concatenated over layers, through the output unit.
    /// </summary>
    public void Export(OnnxGraph graph)
    {
        if (_weights is null || _biases is null)
        {
            throw new InvalidOperationException("a CIN of a serving plan has no trained filters to export");
        }

        string x0 = graph.Node("Transpose", [graph.Reshape(graph.Read(_embeddingOffset, _f * _d), -1, _f, _d)], null,
            OnnxAttribute.Of("perm", 0L, 2L, 1L));
        string x0Columns = graph.Node("Unsqueeze", [x0, graph.Int64s(2)]);
        string previous = x0;
        int previousRows = _f;
        var pooled = new List<string>();
        for (int k = 0; k < _units.Length; k++)
        {
            int h = _units[k];
            string z = graph.Reshape(graph.Node("Mul", [graph.Node("Unsqueeze", [previous, graph.Int64s(3)]), x0Columns]), -1, _d, previousRows * _f);
            string x = graph.Node("Add", [graph.Node("MatMul", [z, graph.Weight("cin_weight", _weights[k], previousRows * _f, h)]),
                graph.Weight("cin_bias", _biases[k], h)]);
            pooled.Add(graph.ReduceSum(_pooledStart[k] == 0 ? x : graph.Slice(x, _pooledStart[k], h, 2), 1));
            previous = _nextRows[k] == h ? x : graph.Slice(x, 0, _nextRows[k], 2);
            previousRows = _nextRows[k];
        }

        string all = pooled.Count == 1 ? pooled[0] : graph.Node("Concat", pooled, null, OnnxAttribute.Of("axis", 2L));
        graph.AddToLogits(graph.Dot(graph.Reshape(all, -1, _pooledWidth), _outputWeight));
    }

    public string Describe() =>
        $"cin F={_f} D={_d} H={string.Join("x", _units)}{(_units.Length > 1 && _pooledStart[0] > 0 ? " split-half" : "")} pooled={_pooledWidth} computed={string.Join("x", _computed)}";

    /// <summary>logit += Σ_h (Σ_d X^k[d, h]) · w[offset + h] over layer k's pooled units, per sample.</summary>
    private void Pool(ReadOnlySpan<float> x, int k, int first, int samples, Span<float> pooled, Span<float> logits)
    {
        int h = _units[k], start = _pooledStart[k], n = h - start;
        ReadOnlySpan<float> w = _outputWeight.AsSpan(_outputOffset[k], n);
        Span<float> sums = pooled[..n];
        for (int s = 0; s < samples; s++)
        {
            ReadOnlySpan<float> block = x.Slice(s * _d * h, _d * h);
            block.Slice(start, n).CopyTo(sums);
            for (int d = 1; d < _d; d++)
            {
                TensorPrimitives.Add(sums, block.Slice(d * h + start, n), sums);
            }

            logits[first + s] += TensorPrimitives.Dot(sums, w);
        }
    }

    /// <summary>logit += (Σ_d Z[d]) · v + c per sample: a layer's pooled units without computing them (see remarks).</summary>
    private void PoolFolded(ReadOnlySpan<float> z, int input, ReadOnlySpan<float> folded, float bias, int first, int samples, Span<float> sums,
                            Span<float> logits)
    {
        Span<float> sum = sums[..input];
        for (int s = 0; s < samples; s++)
        {
            ReadOnlySpan<float> block = z.Slice(s * _d * input, _d * input);
            block[..input].CopyTo(sum);
            for (int d = 1; d < _d; d++)
            {
                TensorPrimitives.Add(sum, block.Slice(d * input, input), sum);
            }

            logits[first + s] += TensorPrimitives.Dot(sum, folded) + bias;
        }
    }

    /// <summary>
    /// Units [start, h) of a layer with filter W [in, h] and bias b, pooled over D positions and weighted by w: the vector
    /// v = W[:, start..h]·w and the constant D·Σ b_h·w_h, summed in double so the fold adds no rounding of its own.
    /// </summary>
    private (float[] Vector, float Bias) Fold(float[] weight, float[] bias, int input, int h, int start, ReadOnlySpan<float> w)
    {
        float[] vector = new float[input];
        for (int i = 0; i < input; i++)
        {
            double sum = 0;
            for (int u = start; u < h; u++)
            {
                sum += (double)weight[i * h + u] * w[u - start];
            }

            vector[i] = (float)sum;
        }

        double constant = 0;
        for (int u = start; u < h; u++)
        {
            constant += (double)bias[u] * w[u - start];
        }

        return (vector, (float)(constant * _d));
    }

    /// <summary>The first <paramref name="columns"/> columns of a filter stored [in, h].</summary>
    private static float[] Columns(float[] weight, int input, int h, int columns)
    {
        if (columns == h)
        {
            return weight;
        }

        float[] kept = new float[input * columns];
        for (int i = 0; i < input; i++)
        {
            weight.AsSpan(i * h, columns).CopyTo(kept.AsSpan(i * columns, columns));
        }

        return kept;
    }

    private static int RoundUp(int rows) => (rows + TileRows - 1) / TileRows * TileRows;

    private static float[] Scratch(int length)
    {
        float[]? scratch = t_scratch;
        if (scratch is null || scratch.Length < length)
        {
            t_scratch = scratch = GC.AllocateUninitializedArray<float>(length);
        }

        return scratch;
    }
}
