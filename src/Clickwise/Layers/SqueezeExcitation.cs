using System.Numerics.Tensors;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;
using Clickwise.Inference;
using Clickwise.Inference.Ops;

namespace Clickwise.Layers;

/// <summary>
/// SENET field re-weighting: squeeze each field embedding to its mean z[b,f], excite with two bias-free ReLU layers
/// a = ReLU(ReLU(z·W1)·W2) (F → R → F, R = max(1, F / reduction ratio)), then re-weight out[b,f,:] = a[b,f]·e[b,f,:].
/// Parameters {prefix}.squeeze [F, R] and {prefix}.excite [R, F], both [in, out]; activations planned for the maximum
/// batch, so a step allocates nothing. The per-field passes (means, re-weighting and their gradients) run over the
/// compute threads with each sample computed whole by one thread, so the result does not depend on the split.
/// </summary>
/// <remarks>FiBiNet (Huang et al., "FiBiNET: Combining Feature Importance and Bilinear feature Interaction for CTR
/// Prediction", RecSys 2019), §3.3 eq. 3-6, with mean pooling as the squeeze and ReLU for both σ1 and σ2.</remarks>
public sealed class SqueezeExcitation
{
    private ComputeContext _compute = ComputeContext.Default;
    private readonly Parameter _squeeze;  // W1 [F, R]
    private readonly Parameter _excite;   // W2 [R, F]
    private float[] _means = [];      // z [B, F]
    private float[] _hidden = [];     // ReLU(z·W1) [B, R]
    private float[] _weights = [];    // a [B, F]
    private float[] _dWeights = [];   // [B, F]
    private float[] _dHidden = [];    // [B, R]
    private float[] _dMeans = [];     // [B, F]
    private readonly RowJob _job;

    public SqueezeExcitation(ParameterSet parameters, string prefix, int fieldCount, int dim, int reductionRatio,
                             SeededRandom initRandom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionRatio, 1);
        FieldCount = fieldCount;
        Dim = dim;
        ReducedCount = Math.Max(1, fieldCount / reductionRatio);
        _squeeze = parameters.Add(Parameter.Dense($"{prefix}.squeeze", ParameterRole.DenseWeight, fieldCount, ReducedCount))
            .Glorot(initRandom, fieldCount, ReducedCount);
        _excite = parameters.Add(Parameter.Dense($"{prefix}.excite", ParameterRole.DenseWeight, ReducedCount, fieldCount))
            .Glorot(initRandom, ReducedCount, fieldCount);
        _job = new RowJob(this);
    }

    /// <summary>Plans the activations for batches of up to <paramref name="maxBatchSize"/> rows, run with <paramref name="compute"/> (default: <see cref="ComputeContext.Default"/>).</summary>
    public SqueezeExcitation Prepare(int maxBatchSize, ComputeContext? compute = null)
    {
        _compute = compute ?? ComputeContext.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _means = new float[checked(maxBatchSize * FieldCount)];
        _hidden = new float[checked(maxBatchSize * ReducedCount)];
        _weights = new float[_means.Length];
        _dWeights = new float[_means.Length];
        _dHidden = new float[_hidden.Length];
        _dMeans = new float[_means.Length];
        MaxBatchSize = maxBatchSize;
        return this;
    }

    public int FieldCount { get; }

    public int Dim { get; }

    /// <summary>R, the width of the excitation bottleneck.</summary>
    public int ReducedCount { get; }

    /// <summary>Rows the activations are planned for; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    /// <summary>The re-weighting of <paramref name="embeddings"/> [B, F, D] into a new region of the same shape.</summary>
    internal TapeRegion Lower(PlanBuilder plan, TapeRegion embeddings)
    {
        TapeRegion output = plan.Allocate(embeddings.Width);
        TapeRegion scratch = plan.Allocate(SqueezeExcitationOp.ScratchWidth(FieldCount, ReducedCount));
        plan.Add(new SqueezeExcitationOp(_squeeze.Value, _excite.Value, FieldCount, Dim, ReducedCount, embeddings.Offset, scratch.Offset,
            output.Offset, plan.Compute));
        return output;
    }

    /// <param name="embeddings">[B, F, D]; must stay unchanged until backward.</param>
    /// <param name="output">[B, F, D], the re-weighted embeddings.</param>
    public void Forward(float[] embeddings, int batchSize, float[] output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        int f = FieldCount, r = ReducedCount, rows = batchSize * f;
        Span<float> h = _hidden.AsSpan(0, batchSize * r), a = _weights.AsSpan(0, rows);
        _job.Run(RowPass.Squeeze, embeddings, output, batchSize);
        Projection.Forward(_compute, _means.AsSpan(0, rows), _squeeze.Value, batchSize, f, r, h);
        Relu.Forward(h, h.Length, h);
        Projection.Forward(_compute, h, _excite.Value, batchSize, r, f, a);
        Relu.Forward(a, a.Length, a);
        _job.Run(RowPass.Reweight, embeddings, output, batchSize);
    }

    /// <param name="dOutput">[B, F, D].</param>
    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    public void Backward(float[] embeddings, float[] dOutput, int batchSize, float[] dEmbeddings)
    {
        int f = FieldCount, r = ReducedCount, rows = batchSize * f;
        ReadOnlySpan<float> h = _hidden.AsSpan(0, batchSize * r);
        Span<float> dH = _dHidden.AsSpan(0, batchSize * r), dZ = _dMeans.AsSpan(0, rows);
        _job.Run(RowPass.ReweightBackward, embeddings, dOutput, batchSize, dEmbeddings);
        dH.Clear();
        Projection.Backward(_compute, h, _excite.Value, _dWeights.AsSpan(0, rows), batchSize, r, f, dH, _excite.Grad!);
        for (int i = 0; i < dH.Length; i++)
        {
            dH[i] = h[i] > 0f ? dH[i] : 0f;
        }

        dZ.Clear();
        Projection.Backward(_compute, _means.AsSpan(0, rows), _squeeze.Value, dH, batchSize, f, r, dZ, _squeeze.Grad!);
        _job.Run(RowPass.SqueezeBackward, embeddings, dOutput, batchSize, dEmbeddings);
    }

    private enum RowPass
    {
        Squeeze,
        Reweight,
        ReweightBackward,
        SqueezeBackward,
    }

    /// <summary>The per-field passes over the compute threads, by samples; reused every step (set, then run).</summary>
    private sealed class RowJob(SqueezeExcitation layer) : IComputeJob
    {
        private const int MinRowsPerPart = 32;

        private RowPass _pass;
        private float[] _embeddings = [];
        private float[] _values = [];
        private float[] _dEmbeddings = [];
        private int _rows;

        /// <param name="values">The output (forward) or its gradient (backward) [B, F, D].</param>
        public void Run(RowPass pass, float[] embeddings, float[] values, int rows, float[]? dEmbeddings = null)
        {
            (_pass, _embeddings, _values, _rows, _dEmbeddings) = (pass, embeddings, values, rows, dEmbeddings ?? []);
            RowParallel.For(layer._compute, rows, MinRowsPerPart, this);
        }

        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.Range(_rows, part, partCount);
            int d = layer.Dim;
            float[] z = layer._means, a = layer._weights, dA = layer._dWeights, dZ = layer._dMeans;
            for (int row = start * layer.FieldCount; row < end * layer.FieldCount; row++)
            {
                ReadOnlySpan<float> e = _embeddings.AsSpan(row * d, d);
                switch (_pass)
                {
                    case RowPass.Squeeze:
                        z[row] = TensorPrimitives.Sum(e) / d;
                        break;
                    case RowPass.Reweight:
                        TensorPrimitives.Multiply(e, a[row], _values.AsSpan(row * d, d));
                        break;
                    case RowPass.ReweightBackward:
                    {
                        ReadOnlySpan<float> dY = _values.AsSpan(row * d, d);
                        Span<float> dE = _dEmbeddings.AsSpan(row * d, d);
                        TensorPrimitives.MultiplyAdd(dY, a[row], dE, dE);
                        dA[row] = a[row] > 0f ? TensorPrimitives.Dot(dY, e) : 0f;
                        break;
                    }

                    default:
                    {
                        Span<float> dE = _dEmbeddings.AsSpan(row * d, d);
                        TensorPrimitives.Add(dE, dZ[row] / d, dE);
                        break;
                    }
                }
            }
        }
    }
}
