using System.Numerics.Tensors;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;

namespace Clickwise.Layers;

/// <summary>
/// AutoInt's interacting layer: multi-head self-attention across fields with a residual projection and ReLU,
/// out[b,f] = ReLU(concat_h Σ_g softmax_g(s·⟨q^h_f, k^h_g⟩) v^h_g + e_f·W_res), where q^h, k^h, v^h are head h's slices
/// of e·W_Q, e·W_K, e·W_V and s is 1 (the paper) or 1/√d_h. Parameters {prefix}.query, .key, .value and (with the
/// residual) .residual, each [D_in, K·d_h] ([in, out], no biases); the projections are batch GEMMs over [B·F, D_in].
/// Activations (Q, K, V, residual [B·F, K·d_h], attention [B, K, F, F], output) are planned for the maximum batch.
/// </summary>
/// <remarks>AutoInt (Song et al., "AutoInt: Automatic Feature Interaction Learning via Self-Attentive Neural
/// Networks", CIKM 2019), eq. 5-8.</remarks>
public sealed class MultiHeadSelfAttention
{
    private readonly Parameter _query, _key, _value;
    private readonly Parameter? _residual;
    private readonly float _scale;
    private readonly float[] _q, _k, _v;     // [B·F, K·d_h]
    private readonly float[] _attention;     // [B, K, F, F], rows sum to 1
    private readonly float[] _output;        // ReLU output [B·F, K·d_h]
    private readonly float[] _dPre;          // ∂/∂(pre-ReLU) [B·F, K·d_h]
    private readonly float[] _dQ, _dK, _dV;  // [B·F, K·d_h]
    private readonly SampleJob _forwardJob, _backwardJob;

    public MultiHeadSelfAttention(ParameterSet parameters, string prefix, int fieldCount, int inputDim, int headCount, int headDim,
                                  bool useResidual, bool scaleScores, int maxBatchSize, SeededRandom initRandom)
    {
        FieldCount = fieldCount;
        InputDim = inputDim;
        HeadCount = headCount;
        HeadDim = headDim;
        MaxBatchSize = maxBatchSize;
        int width = OutputDim;
        _query = parameters.Add(Parameter.Dense($"{prefix}.query", ParameterRole.DenseWeight, inputDim, width)).Glorot(initRandom, inputDim, width);
        _key = parameters.Add(Parameter.Dense($"{prefix}.key", ParameterRole.DenseWeight, inputDim, width)).Glorot(initRandom, inputDim, width);
        _value = parameters.Add(Parameter.Dense($"{prefix}.value", ParameterRole.DenseWeight, inputDim, width)).Glorot(initRandom, inputDim, width);
        _residual = useResidual
            ? parameters.Add(Parameter.Dense($"{prefix}.residual", ParameterRole.DenseWeight, inputDim, width)).Glorot(initRandom, inputDim, width)
            : null;
        _scale = scaleScores ? 1f / MathF.Sqrt(headDim) : 1f;
        int n = checked(maxBatchSize * fieldCount * width);
        _q = new float[n];
        _k = new float[n];
        _v = new float[n];
        _output = new float[n];
        _dPre = new float[n];
        _dQ = new float[n];
        _dK = new float[n];
        _dV = new float[n];
        _attention = new float[checked(maxBatchSize * headCount * fieldCount * fieldCount)];
        _forwardJob = new SampleJob(this, backward: false);
        _backwardJob = new SampleJob(this, backward: true);
    }

    public int FieldCount { get; }

    public int InputDim { get; }

    public int HeadCount { get; }

    public int HeadDim { get; }

    /// <summary>K·d_h, the width of each field's output.</summary>
    public int OutputDim => HeadCount * HeadDim;

    public int MaxBatchSize { get; }

    /// <param name="input">[B, F, D_in]; must stay unchanged until backward.</param>
    /// <param name="output">[B, F, K·d_h].</param>
    public void Forward(ReadOnlySpan<float> input, int batchSize, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        int rows = batchSize * FieldCount, width = OutputDim, n = rows * width;
        Span<float> q = _q.AsSpan(0, n), k = _k.AsSpan(0, n), v = _v.AsSpan(0, n), o = _output.AsSpan(0, n);
        Projection.Forward(input, _query.Value, rows, InputDim, width, q);
        Projection.Forward(input, _key.Value, rows, InputDim, width, k);
        Projection.Forward(input, _value.Value, rows, InputDim, width, v);
        if (_residual is null)
        {
            o.Clear();
        }
        else
        {
            Projection.Forward(input, _residual.Value, rows, InputDim, width, o);
        }

        _forwardJob.BatchSize = batchSize;
        RowParallel.For(batchSize, _forwardJob);

        Relu.Forward(o, n, o);
        o.CopyTo(output);
    }

    /// <param name="dOutput">[B, F, K·d_h].</param>
    /// <param name="dInput">[B, F, D_in], accumulated.</param>
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int batchSize, Span<float> dInput)
    {
        int rows = batchSize * FieldCount, width = OutputDim, n = rows * width;
        Span<float> dPre = _dPre.AsSpan(0, n), dQ = _dQ.AsSpan(0, n), dK = _dK.AsSpan(0, n), dV = _dV.AsSpan(0, n);
        dPre.Clear();
        dQ.Clear();
        dK.Clear();
        dV.Clear();
        Relu.Backward(_output.AsSpan(0, n), dOutput, n, dPre);
        if (_residual is not null)
        {
            Projection.Backward(input, _residual.Value, dPre, rows, InputDim, width, dInput, _residual.Grad!);
        }

        _backwardJob.BatchSize = batchSize;
        RowParallel.For(batchSize, _backwardJob);

        Projection.Backward(input, _query.Value, dQ, rows, InputDim, width, dInput, _query.Grad!);
        Projection.Backward(input, _key.Value, dK, rows, InputDim, width, dInput, _key.Grad!);
        Projection.Backward(input, _value.Value, dV, rows, InputDim, width, dInput, _value.Grad!);
    }

    /// <summary>Scores, softmax and weighted values of samples [start, end): each sample touches only its own rows.</summary>
    private void ForwardSamples(int start, int end)
    {
        int n = end * FieldCount * OutputDim, f = FieldCount, dh = HeadDim;
        ReadOnlySpan<float> q = _q.AsSpan(0, n), k = _k.AsSpan(0, n), v = _v.AsSpan(0, n);
        Span<float> o = _output.AsSpan(0, n);
        for (int b = start; b < end; b++)
        {
            for (int h = 0; h < HeadCount; h++)
            {
                for (int i = 0; i < f; i++)
                {
                    Span<float> a = Attention(b, h, i);
                    ReadOnlySpan<float> qi = q.Slice(HeadOffset(b, i, h), dh);
                    for (int j = 0; j < f; j++)
                    {
                        a[j] = _scale * TensorPrimitives.Dot(qi, k.Slice(HeadOffset(b, j, h), dh));
                    }

                    // TensorPrimitives.SoftMax does not subtract the maximum: scores above ~88 would overflow exp to ∞ and give NaN.
                    TensorPrimitives.Subtract(a, TensorPrimitives.Max(a), a);
                    TensorPrimitives.SoftMax(a, a);
                    Span<float> oi = o.Slice(HeadOffset(b, i, h), dh);
                    for (int j = 0; j < f; j++)
                    {
                        TensorPrimitives.MultiplyAdd(v.Slice(HeadOffset(b, j, h), dh), a[j], oi, oi);
                    }
                }
            }
        }
    }

    /// <summary>The attention's backward for samples [start, end), into dQ, dK, dV of those samples' rows only.</summary>
    private void BackwardSamples(int start, int end)
    {
        int n = end * FieldCount * OutputDim, f = FieldCount, dh = HeadDim;
        ReadOnlySpan<float> q = _q.AsSpan(0, n), k = _k.AsSpan(0, n), v = _v.AsSpan(0, n), dPre = _dPre.AsSpan(0, n);
        Span<float> dQ = _dQ.AsSpan(0, n), dK = _dK.AsSpan(0, n), dV = _dV.AsSpan(0, n);
        Span<float> dS = stackalloc float[FieldCount];
        for (int b = start; b < end; b++)
        {
            for (int h = 0; h < HeadCount; h++)
            {
                for (int i = 0; i < f; i++)
                {
                    ReadOnlySpan<float> a = Attention(b, h, i), dOi = dPre.Slice(HeadOffset(b, i, h), dh), qi = q.Slice(HeadOffset(b, i, h), dh);
                    for (int j = 0; j < f; j++)
                    {
                        Span<float> dVj = dV.Slice(HeadOffset(b, j, h), dh);
                        TensorPrimitives.MultiplyAdd(dOi, a[j], dVj, dVj);
                        dS[j] = TensorPrimitives.Dot(dOi, v.Slice(HeadOffset(b, j, h), dh));
                    }

                    // Softmax backward, with the score scale folded in: ∂L/∂(q·k) = s·a_j (dA_j − Σ a dA).
                    float mean = TensorPrimitives.Dot(a, dS);
                    Span<float> dQi = dQ.Slice(HeadOffset(b, i, h), dh);
                    for (int j = 0; j < f; j++)
                    {
                        float g = _scale * a[j] * (dS[j] - mean);
                        int kj = HeadOffset(b, j, h);
                        TensorPrimitives.MultiplyAdd(k.Slice(kj, dh), g, dQi, dQi);
                        TensorPrimitives.MultiplyAdd(qi, g, dK.Slice(kj, dh), dK.Slice(kj, dh));
                    }
                }
            }
        }
    }

    /// <summary>Runs the per-sample part of a pass over a row range; kept as a field so a step allocates nothing.</summary>
    private sealed class SampleJob(MultiHeadSelfAttention layer, bool backward) : IComputeJob
    {
        public int BatchSize { get; set; }

        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.Range(BatchSize, part, partCount);
            if (backward)
            {
                layer.BackwardSamples(start, end);
            }
            else
            {
                layer.ForwardSamples(start, end);
            }
        }
    }

    /// <summary>Where head h of field f of sample b starts in a [B·F, K·d_h] buffer.</summary>
    private int HeadOffset(int b, int field, int head) => (b * FieldCount + field) * OutputDim + head * HeadDim;

    /// <summary>Row i of head h's attention matrix for sample b.</summary>
    private Span<float> Attention(int b, int head, int i) =>
        _attention.AsSpan(((b * HeadCount + head) * FieldCount + i) * FieldCount, FieldCount);
}
