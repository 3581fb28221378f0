using System.Numerics.Tensors;
using Clickwise.Features;
using Clickwise.Inference;
using Clickwise.Inference.Ops;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The FwFM component without w0: linear term Σ_f ⟨e_f, v_f⟩ ("fwfm.v", [F, D]) plus pairwise term
/// Σ_{i&lt;j} r_(i,j) ⟨e_i, e_j⟩ ("fwfm.r", [P] upper triangle of the symmetric R), over both cores: forward by
/// rows, backward by fixed chunks of <see cref="ChunkRows"/> rows, each chunk's gradient of v and R summed in
/// its own partial and the partials added in chunk order, so the result does not depend on the thread count.
/// </summary>
internal sealed class FwFMPart
{
    public const int ChunkRows = 256;

    private readonly float[] _pairMatrix;
    private float[][] _pairGrads = [];
    private float[][] _vectorGrads = [];
    private float[] _dY = [];
    private readonly ForwardJob _forward;
    private readonly BackwardJob _backward;

    public FwFMPart(ParameterSet parameters, FeatureLayout layout, int dim, SeededRandom random)
    {
        FieldCount = layout.FieldCount;
        Dim = dim;
        // The reference code builds v and R as nn.Linear weights; we keep PyTorch's default U(±1/√fan_in) scale.
        FieldVectors = parameters.Add(Parameter.Dense("fwfm.v", ParameterRole.FieldLinear, layout.FieldCount, dim))
            .Uniform(random, 1.0 / Math.Sqrt(dim));
        PairWeights = parameters.Add(Parameter.Dense("fwfm.r", ParameterRole.FieldMatrix, FieldPairs.Count(layout.FieldCount)))
            .Uniform(random, 1.0 / Math.Sqrt(layout.FieldCount));
        _pairMatrix = new float[FieldCount * FieldCount];
        _forward = new ForwardJob(this);
        _backward = new BackwardJob(this);
    }

    /// <summary>Plans the outputs and the per-chunk gradient partials for batches of up to <paramref name="maxBatchSize"/> rows.</summary>
    public void Prepare(int maxBatchSize, ComputeContext compute)
    {
        Compute = compute;
        int f = FieldCount, chunks = (maxBatchSize + ChunkRows - 1) / ChunkRows;
        LinearOutput = new float[maxBatchSize];
        PairOutput = new float[maxBatchSize];
        _pairGrads = [.. Enumerable.Range(0, chunks).Select(_ => new float[f * f])];
        _vectorGrads = [.. Enumerable.Range(0, chunks).Select(_ => new float[f * Dim])];
        _dY = new float[maxBatchSize];
    }

    /// <summary>The context of the last <see cref="Prepare"/>: threads, kernels and phase marks of this part's passes.</summary>
    public ComputeContext Compute { get; private set; } = ComputeContext.Default;

    public Parameter FieldVectors { get; }

    public Parameter PairWeights { get; }

    public int FieldCount { get; }

    public int Dim { get; }

    public float[] LinearOutput { get; private set; } = [];

    public float[] PairOutput { get; private set; } = [];

    private int Width => FieldCount * Dim;

    /// <summary>Adds the FwFM linear and pairwise terms of embeddings [B, F, D] to <paramref name="logits"/>.</summary>
    public void Forward(float[] embeddings, int batchSize, Span<float> logits)
    {
        FwFMInteraction.Expand(PairWeights.Value, FieldCount, _pairMatrix);
        _forward.Run(embeddings, batchSize);
        for (int b = 0; b < batchSize; b++)
        {
            logits[b] += LinearOutput[b] + PairOutput[b];
        }
    }

    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    public void Backward(float[] embeddings, ReadOnlySpan<float> dLogits, int batchSize, float[] dEmbeddings)
    {
        dLogits[..batchSize].CopyTo(_dY);
        int chunks = (batchSize + ChunkRows - 1) / ChunkRows;
        _backward.Run(embeddings, dEmbeddings, batchSize, chunks);
        for (int c = 0; c < chunks; c++)
        {
            FwFMInteraction.FoldPairGradient(_pairGrads[c], FieldCount, PairWeights.Grad);
            TensorPrimitives.Add(FieldVectors.Grad, _vectorGrads[c], FieldVectors.Grad);
        }
    }

    /// <summary>The linear term, then the pair term as a dense matrix or the list of pairs that survived pruning.</summary>
    public void Lower(PlanBuilder plan, TapeRegion embeddings)
    {
        plan.Add(new FwFMLinearOp(FieldVectors.Value, FieldCount, Dim, embeddings.Offset));
        plan.FwFMPairs(PairWeights.Value, Dim, embeddings);
    }

    private sealed class ForwardJob(FwFMPart part) : IComputeJob
    {
        private float[] _embeddings = [];
        private int _rows;

        public void Run(float[] embeddings, int rows)
        {
            (_embeddings, _rows) = (embeddings, rows);
            RowParallel.For(part.Compute, rows, this);
        }

        public void Run(int index, int partCount)
        {
            (int start, int end) = RowParallel.Range(_rows, index, partCount);
            int n = end - start, w = part.Width;
            ReadOnlySpan<float> e = _embeddings.AsSpan(start * w, n * w);
            FwFMLinear.Forward(e, part.FieldVectors.Value, n, part.FieldCount, part.Dim, part.LinearOutput.AsSpan(start, n));
            FwFMInteraction.Forward(e, part._pairMatrix, n, part.FieldCount, part.Dim, part.PairOutput.AsSpan(start, n));
        }
    }

    private sealed class BackwardJob(FwFMPart part) : IComputeJob
    {
        private float[] _embeddings = [];
        private float[] _dEmbeddings = [];
        private int _rows, _chunks;

        public void Run(float[] embeddings, float[] dEmbeddings, int rows, int chunks)
        {
            (_embeddings, _dEmbeddings, _rows, _chunks) = (embeddings, dEmbeddings, rows, chunks);
            RowParallel.For(part.Compute, chunks, 1, this);
        }

        public void Run(int index, int partCount)
        {
            (int first, int last) = RowParallel.Range(_chunks, index, partCount);
            int w = part.Width;
            for (int c = first; c < last; c++)
            {
                int start = c * ChunkRows, n = Math.Min(_rows, start + ChunkRows) - start;
                ReadOnlySpan<float> e = _embeddings.AsSpan(start * w, n * w);
                Span<float> dE = _dEmbeddings.AsSpan(start * w, n * w);
                Array.Clear(part._pairGrads[c]);
                Array.Clear(part._vectorGrads[c]);
                FwFMLinear.Backward(e, part.FieldVectors.Value, part._dY.AsSpan(start, n), n, part.FieldCount, part.Dim,
                    dE, part._vectorGrads[c]);
                FwFMInteraction.Backward(e, part._pairMatrix, part._dY.AsSpan(start, n), n, part.FieldCount, part.Dim,
                    dE, part._pairGrads[c]);
            }
        }
    }
}
