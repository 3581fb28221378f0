using Clickwise.Kernels;
using Clickwise.Kernels.Simd;
using Clickwise.Inference.Ops;

namespace Clickwise.Layers;

/// <summary>
/// AutoInt's interacting layer: multi-head self-attention across fields with a residual projection and ReLU,
/// out[b,f] = ReLU(concat_h Σ_g softmax_g(s·⟨q^h_f, k^h_g⟩) v^h_g + e_f·W_res), where q^h, k^h, v^h are head h's slices
/// of e·W_Q, e·W_K, e·W_V and s is 1 (the paper) or 1/√d_h. Parameters {prefix}.query, .key, .value and (with the
/// residual) .residual, each [D_in, K·d_h] ([in, out], no biases); the projections are batch GEMMs over [B·F, D_in].
/// The per-sample products run in <see cref="SelfAttentionKernel{TLanes, TVector}"/>, row-parallel over samples.
/// Activations (Q, K, V, residual [B·F, K·d_h], attention [B, K, F, F_p] transposed, output) are planned for the maximum batch.
/// </summary>
/// <remarks>AutoInt (Song et al., "AutoInt: Automatic Feature Interaction Learning via Self-Attentive Neural
/// Networks", CIKM 2019), eq. 5-8.</remarks>
public sealed class MultiHeadSelfAttention
{
    private ComputeContext _compute = ComputeContext.Default;
    private readonly Parameter _query, _key, _value;
    private readonly Parameter? _residual;
    private readonly float _scale;
    private float[] _q = [], _k = [], _v = [];  // [B·F, K·d_h]
    private float[] _attention = [];     // [B, K, F, F_p], transposed: columns (queries) sum to 1
    private ISelfAttentionKernel _kernel = null!;  // the context's variant for the head width, chosen in Prepare
    private int _paddedFields;
    private float[][] _scratch = [];
    private float[] _output = [];            // ReLU output [B·F, K·d_h]
    private float[] _dPre = [];              // ∂/∂(pre-ReLU) [B·F, K·d_h]
    private float[] _dQ = [], _dK = [], _dV = [];  // [B·F, K·d_h]
    private readonly SampleJob _forwardJob, _backwardJob;

    public MultiHeadSelfAttention(ParameterSet parameters, string prefix, int fieldCount, int inputDim, int headCount, int headDim,
                                  bool useResidual, bool scaleScores, SeededRandom initRandom)
    {
        FieldCount = fieldCount;
        InputDim = inputDim;
        HeadCount = headCount;
        HeadDim = headDim;
        int width = OutputDim;
        _query = parameters.Add(Parameter.Dense($"{prefix}.query", ParameterRole.DenseWeight, inputDim, width)).Glorot(initRandom, inputDim, width);
        _key = parameters.Add(Parameter.Dense($"{prefix}.key", ParameterRole.DenseWeight, inputDim, width)).Glorot(initRandom, inputDim, width);
        _value = parameters.Add(Parameter.Dense($"{prefix}.value", ParameterRole.DenseWeight, inputDim, width)).Glorot(initRandom, inputDim, width);
        _residual = useResidual
            ? parameters.Add(Parameter.Dense($"{prefix}.residual", ParameterRole.DenseWeight, inputDim, width)).Glorot(initRandom, inputDim, width)
            : null;
        _scale = scaleScores ? 1f / MathF.Sqrt(headDim) : 1f;
        _forwardJob = new SampleJob(this, backward: false);
        _backwardJob = new SampleJob(this, backward: true);
    }

    /// <summary>Plans the activations for batches of up to <paramref name="maxBatchSize"/> rows, run with <paramref name="compute"/> (default: <see cref="ComputeContext.Default"/>).</summary>
    public MultiHeadSelfAttention Prepare(int maxBatchSize, ComputeContext? compute = null)
    {
        _compute = compute ?? ComputeContext.Default;
        _kernel = _compute.SelfAttentionFor(HeadDim);
        _paddedFields = _kernel.PaddedFields(FieldCount);
        _scratch = [];
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        int n = checked(maxBatchSize * FieldCount * OutputDim);
        _q = new float[n];
        _k = new float[n];
        _v = new float[n];
        _output = new float[n];
        _dPre = new float[n];
        _dQ = new float[n];
        _dK = new float[n];
        _dV = new float[n];
        _attention = new float[checked(maxBatchSize * HeadCount * FieldCount * _paddedFields)];
        MaxBatchSize = maxBatchSize;
        return this;
    }

    public int FieldCount { get; }

    public int InputDim { get; }

    public int HeadCount { get; }

    public int HeadDim { get; }

    /// <summary>K·d_h, the width of each field's output.</summary>
    public int OutputDim => HeadCount * HeadDim;

    /// <summary>Rows the activations are planned for; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    /// <summary>Whether the layer adds the residual projection e·W_res before its ReLU.</summary>
    public bool UsesResidual => _residual is not null;

    /// <summary>Parameters of the projections W_Q, W_K, W_V (and W_res).</summary>
    internal long ProjectionParameterCount => _query.Value.LongLength * (_residual is null ? 3 : 4);

    /// <summary>The projections packed head by head (<see cref="SelfAttentionOp.Pack"/>) and prepared as one dense product.</summary>
    /// <summary>W_Q, W_K, W_V and (with the residual) W_res, each [D_in, K·d_h].</summary>
    internal float[][] ProjectionWeights => _residual is null
        ? [_query.Value, _key.Value, _value.Value]
        : [_query.Value, _key.Value, _value.Value, _residual.Value];

    internal IDenseProduct LowerProjections(IGemm gemm)
    {
        float[][] weights = ProjectionWeights;
        float[] packed = SelfAttentionOp.Pack(weights, InputDim, HeadCount, HeadDim);
        int columns = packed.Length / InputDim;
        return gemm.PrepareDense(packed, new float[columns], InputDim, columns, relu: false);
    }

    /// <param name="input">[B, F, D_in]; must stay unchanged until backward.</param>
    /// <param name="output">[B, F, K·d_h].</param>
    public void Forward(ReadOnlySpan<float> input, int batchSize, Span<float> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        int rows = batchSize * FieldCount, width = OutputDim, n = rows * width;
        Span<float> q = _q.AsSpan(0, n), k = _k.AsSpan(0, n), v = _v.AsSpan(0, n), o = _output.AsSpan(0, n);
        Projection.Forward(_compute, input, _query.Value, rows, InputDim, width, q);
        Projection.Forward(_compute, input, _key.Value, rows, InputDim, width, k);
        Projection.Forward(_compute, input, _value.Value, rows, InputDim, width, v);
        if (_residual is null)
        {
            o.Clear();
        }
        else
        {
            Projection.Forward(_compute, input, _residual.Value, rows, InputDim, width, o);
        }

        EnsureScratch();
        _forwardJob.BatchSize = batchSize;
        RowParallel.For(_compute, batchSize, _forwardJob);

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
            Projection.Backward(_compute, input, _residual.Value, dPre, rows, InputDim, width, dInput, _residual.Grad!);
        }

        EnsureScratch();
        _backwardJob.BatchSize = batchSize;
        RowParallel.For(_compute, batchSize, _backwardJob);

        Projection.Backward(_compute, input, _query.Value, dQ, rows, InputDim, width, dInput, _query.Grad!);
        Projection.Backward(_compute, input, _key.Value, dK, rows, InputDim, width, dInput, _key.Grad!);
        Projection.Backward(_compute, input, _value.Value, dV, rows, InputDim, width, dInput, _value.Grad!);
    }

    /// <summary>
    /// The per-sample part of a pass for samples [start, end): forward the scores, softmax and weighted values; backward
    /// their gradients into dQ, dK, dV. Each sample touches only its own rows.
    /// </summary>
    private unsafe void RunSamples(int start, int end, float[] scratch, bool backward)
    {
        int width = OutputDim;
        ISelfAttentionKernel kernel = _kernel;
        fixed (float* q = _q, k = _k, v = _v, o = _output, dO = _dPre, dQ = _dQ, dK = _dK, dV = _dV, attention = _attention, work = scratch)
        {
            for (int b = start; b < end; b++)
            {
                for (int h = 0; h < HeadCount; h++)
                {
                    int at = HeadOffset(b, 0, h);
                    float* p = attention + AttentionOffset(b, h);
                    if (backward)
                    {
                        kernel.Backward(q + at, k + at, v + at, dO + at, dQ + at, dK + at, dV + at, width, FieldCount, HeadDim, _scale, p, work);
                    }
                    else
                    {
                        kernel.Forward(q + at, k + at, v + at, width, o + at, width, FieldCount, HeadDim, _scale, p, work);
                    }
                }
            }
        }
    }

    /// <summary>One scratch per compute part, grown before a pass (single-threaded) when the thread count grew.</summary>
    private void EnsureScratch()
    {
        int parts = _compute.Threads;
        if (_scratch.Length < parts)
        {
            int floats = _kernel.ScratchFloats(FieldCount, HeadDim);
            float[][] grown = new float[parts][];
            for (int i = 0; i < parts; i++)
            {
                grown[i] = i < _scratch.Length ? _scratch[i] : new float[floats];
            }

            _scratch = grown;
        }
    }

    /// <summary>Runs the per-sample part of a pass over a row range; kept as a field so a step allocates nothing.</summary>
    private sealed class SampleJob(MultiHeadSelfAttention layer, bool backward) : IComputeJob
    {
        public int BatchSize { get; set; }

        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.Range(BatchSize, part, partCount);
            layer.RunSamples(start, end, layer._scratch[part], backward);
        }
    }

    /// <summary>Where head h of field f of sample b starts in a [B·F, K·d_h] buffer.</summary>
    private int HeadOffset(int b, int field, int head) => (b * FieldCount + field) * OutputDim + head * HeadDim;

    /// <summary>Where head h's transposed attention [F, F_p] of sample b starts.</summary>
    private int AttentionOffset(int b, int head) => (b * HeadCount + head) * FieldCount * _paddedFields;
}
