using System.Numerics.Tensors;

namespace Clickwise.Layers;

/// <summary>
/// SENET field re-weighting: squeeze each field embedding to its mean z[b,f], excite with two bias-free ReLU layers
/// a = ReLU(ReLU(z·W1)·W2) (F → R → F, R = max(1, F / reduction ratio)), then re-weight out[b,f,:] = a[b,f]·e[b,f,:].
/// Parameters {prefix}.squeeze [F, R] and {prefix}.excite [R, F], both [in, out]; activations planned for the maximum
/// batch, so a step allocates nothing.
/// </summary>
/// <remarks>FiBiNet (Huang et al., "FiBiNET: Combining Feature Importance and Bilinear feature Interaction for CTR
/// Prediction", RecSys 2019), §3.3 eq. 3-6, with mean pooling as the squeeze and ReLU for both σ1 and σ2.</remarks>
public sealed class SqueezeExcitation
{
    private readonly Parameter _squeeze;  // W1 [F, R]
    private readonly Parameter _excite;   // W2 [R, F]
    private readonly float[] _means;      // z [B, F]
    private readonly float[] _hidden;     // ReLU(z·W1) [B, R]
    private readonly float[] _weights;    // a [B, F]
    private readonly float[] _dWeights;   // [B, F]
    private readonly float[] _dHidden;    // [B, R]
    private readonly float[] _dMeans;     // [B, F]

    public SqueezeExcitation(ParameterSet parameters, string prefix, int fieldCount, int dim, int reductionRatio,
                             int maxBatchSize, SeededRandom initRandom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionRatio, 1);
        FieldCount = fieldCount;
        Dim = dim;
        ReducedCount = Math.Max(1, fieldCount / reductionRatio);
        MaxBatchSize = maxBatchSize;
        _squeeze = parameters.Add(Parameter.Dense($"{prefix}.squeeze", ParameterRole.DenseWeight, fieldCount, ReducedCount))
            .Glorot(initRandom, fieldCount, ReducedCount);
        _excite = parameters.Add(Parameter.Dense($"{prefix}.excite", ParameterRole.DenseWeight, ReducedCount, fieldCount))
            .Glorot(initRandom, ReducedCount, fieldCount);
        _means = new float[checked(maxBatchSize * fieldCount)];
        _hidden = new float[checked(maxBatchSize * ReducedCount)];
        _weights = new float[_means.Length];
        _dWeights = new float[_means.Length];
        _dHidden = new float[_hidden.Length];
        _dMeans = new float[_means.Length];
    }

    public int FieldCount { get; }

    public int Dim { get; }

    /// <summary>R, the width of the excitation bottleneck.</summary>
    public int ReducedCount { get; }

    public int MaxBatchSize { get; }

    /// <param name="embeddings">[B, F, D]; must stay unchanged until backward.</param>
    /// <param name="output">[B, F, D], the re-weighted embeddings.</param>
    public void Forward(ReadOnlySpan<float> embeddings, int batchSize, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        int f = FieldCount, d = Dim, r = ReducedCount, rows = batchSize * f;
        Span<float> z = _means.AsSpan(0, rows), h = _hidden.AsSpan(0, batchSize * r), a = _weights.AsSpan(0, rows);
        for (int row = 0; row < rows; row++)
        {
            z[row] = TensorPrimitives.Sum(embeddings.Slice(row * d, d)) / d;
        }

        Projection.Forward(z, _squeeze.Value, batchSize, f, r, h);
        Relu.Forward(h, h.Length, h);
        Projection.Forward(h, _excite.Value, batchSize, r, f, a);
        Relu.Forward(a, a.Length, a);
        for (int row = 0; row < rows; row++)
        {
            TensorPrimitives.Multiply(embeddings.Slice(row * d, d), a[row], output.Slice(row * d, d));
        }
    }

    /// <param name="dOutput">[B, F, D].</param>
    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    public void Backward(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dEmbeddings)
    {
        int f = FieldCount, d = Dim, r = ReducedCount, rows = batchSize * f;
        ReadOnlySpan<float> h = _hidden.AsSpan(0, batchSize * r), a = _weights.AsSpan(0, rows);
        Span<float> dA = _dWeights.AsSpan(0, rows), dH = _dHidden.AsSpan(0, batchSize * r), dZ = _dMeans.AsSpan(0, rows);
        dA.Clear();
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> dY = dOutput.Slice(row * d, d);
            Span<float> dE = dEmbeddings.Slice(row * d, d);
            TensorPrimitives.MultiplyAdd(dY, a[row], dE, dE);
            if (a[row] > 0f)
            {
                dA[row] = TensorPrimitives.Dot(dY, embeddings.Slice(row * d, d));
            }
        }

        dH.Clear();
        Projection.Backward(h, _excite.Value, dA, batchSize, r, f, dH, _excite.Grad!);
        for (int i = 0; i < dH.Length; i++)
        {
            dH[i] = h[i] > 0f ? dH[i] : 0f;
        }

        dZ.Clear();
        Projection.Backward(_means.AsSpan(0, rows), _squeeze.Value, dH, batchSize, f, r, dZ, _squeeze.Grad!);
        for (int row = 0; row < rows; row++)
        {
            Span<float> dE = dEmbeddings.Slice(row * d, d);
            TensorPrimitives.Add(dE, dZ[row] / d, dE);
        }
    }
}
