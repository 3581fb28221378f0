using System.Numerics.Tensors;
using Clickwise.Kernels;
using Clickwise.Kernels.Simd;
using Clickwise.Inference;
using Clickwise.Inference.Ops;

namespace Clickwise.Layers;

/// <summary>Which bilinear matrices FiBiNet shares across field pairs.</summary>
public enum BilinearKind
{
    /// <summary>One W [D, D] for every pair.</summary>
    FieldAll,

    /// <summary>One W_i per field that is ever the left side of a pair: F − 1 matrices.</summary>
    FieldEach,

    /// <summary>One W_ij per pair: P matrices.</summary>
    FieldInteraction,
}

/// <summary>
/// FiBiNet's bilinear interaction: p[b, (i,j)] = (e[b,i]·W) ⊙ e[b,j] for every pair i &lt; j in <see cref="FieldPairs"/>
/// order, with W shared per <see cref="BilinearKind"/>. Parameter {prefix}.weight [matrices, D, D] (1, F − 1 or P matrices), each
/// matrix [in, out].
/// </summary>
/// <remarks>
/// <para>FiBiNet (Huang et al., "FiBiNET: Combining Feature Importance and Bilinear feature Interaction for CTR
/// Prediction", RecSys 2019), §3.4 eq. 7-9.</para>
/// <para>Lowered to GEMMs over the batch like the inference op: the pairs of left field i are contiguous, so each step
/// packs one matrix M_i [D, (F−1−i)·D] per left field (the W of pairs (i, i+1) … (i, F−1) side by side) and computes
/// T_i = E_i·M_i [B, (F−1−i)·D] from the gathered left embeddings E_i [B, D]; the output is then one long Hadamard
/// product per row and left field with the contiguous e_{i+1..F−1}. Backward runs dE_i = dT_i·M_iᵀ and dM_i = E_iᵀ·dT_i
/// as GEMMs and folds dM_i back into the shared matrices in pair order. The row passes (gather, Hadamard products,
/// scatter) run over the compute threads with every row computed whole by one thread, so the result does not depend
/// on the split. Buffers are sized for the maximum batch, so a step allocates nothing.</para>
/// </remarks>
public sealed class BilinearInteraction
{
    private ComputeContext _compute = ComputeContext.Default;
    private readonly Parameter _weight;
    private readonly int[] _columnStart;   // first output column of left field i's pairs: pair(i, i+1)·D [F − 1]
    private readonly float[] _matrices;    // M_i [D, (F−1−i)·D] at D·_columnStart[i]
    private readonly float[] _dMatrices;   // dM_i, same layout
    private float[] _gathered = [];    // E_i [B, D] at i·B·D
    private float[] _dGathered = [];   // dE_i [B, D] at i·B·D
    private float[] _projected = [];   // T_i [B, (F−1−i)·D] at B·_columnStart[i]
    private float[] _dProjected = [];  // dT_i, same layout
    private readonly RowJob _job;

    public BilinearInteraction(ParameterSet parameters, string prefix, BilinearKind kind, int fieldCount, int dim,
                               SeededRandom initRandom)
    {
        Kind = kind;
        FieldCount = fieldCount;
        Dim = dim;
        PairCount = FieldPairs.Count(fieldCount);
        int matrices = kind switch
        {
            BilinearKind.FieldAll => 1,
            BilinearKind.FieldEach => fieldCount - 1,
            BilinearKind.FieldInteraction => PairCount,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        _weight = parameters.Add(Parameter.Dense($"{prefix}.weight", ParameterRole.DenseWeight, matrices, dim, dim))
            .Glorot(initRandom, dim, dim);
        int lefts = Math.Max(0, fieldCount - 1);
        _columnStart = new int[lefts];
        for (int i = 0, pair = 0; i < lefts; pair += fieldCount - 1 - i, i++)
        {
            _columnStart[i] = pair * dim;
        }

        int width = PairCount * dim;
        _matrices = new float[dim * width];
        _dMatrices = new float[_matrices.Length];
        _job = new RowJob(this);
    }

    /// <summary>Plans the activations for batches of up to <paramref name="maxBatchSize"/> rows, run with <paramref name="compute"/> (default: <see cref="ComputeContext.Default"/>).</summary>
    public BilinearInteraction Prepare(int maxBatchSize, ComputeContext? compute = null)
    {
        _compute = compute ?? ComputeContext.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _gathered = new float[checked(maxBatchSize * Math.Max(0, FieldCount - 1) * Dim)];
        _dGathered = new float[_gathered.Length];
        _projected = new float[checked(maxBatchSize * PairCount * Dim)];
        _dProjected = new float[_projected.Length];
        MaxBatchSize = maxBatchSize;
        return this;
    }

    public BilinearKind Kind { get; }

    public int FieldCount { get; }

    public int Dim { get; }

    public int PairCount { get; }

    /// <summary>Rows the activations are planned for; 0 until <see cref="Prepare"/>.</summary>
    public int MaxBatchSize { get; private set; }

    /// <summary>
    /// The pairs of <paramref name="input"/> [B, F, D] written as [B, P, D] into columns from <paramref name="column"/> of
    /// <paramref name="output"/>, as <see cref="Forward(float[], int, float[], int, int)"/> does; <paramref name="scratch"/>
    /// is <see cref="BilinearOp.ScratchWidth"/> wide and may be shared by layers that run in turn.
    /// </summary>
    internal void Lower(PlanBuilder plan, TapeRegion input, TapeRegion scratch, TapeRegion output, int column, string label) =>
        plan.Add(new BilinearOp(_weight.Value, Kind, FieldCount, Dim, input.Offset, scratch.Offset, output.Offset, output.Width, column,
            plan.Compute, label));

    /// <param name="embeddings">[B, F, D]; must stay unchanged until backward.</param>
    /// <param name="output">[B, P, D].</param>
    public void Forward(float[] embeddings, int batchSize, float[] output) =>
        Forward(embeddings, batchSize, output, PairCount * Dim, 0);

    /// <summary>As <see cref="Forward(float[], int, float[])"/>, writing row b's P·D values at
    /// output[b·<paramref name="outputStride"/> + <paramref name="column"/>].</summary>
    public void Forward(float[] embeddings, int batchSize, float[] output, int outputStride, int column)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        int d = Dim;
        PackMatrices();
        _job.Run(RowPass.Gather, embeddings, output, outputStride, column, batchSize);
        for (int i = 0; i < FieldCount - 1; i++)
        {
            int n = Width(i);
            _compute.Multiply(Gathered(_gathered, i, batchSize), Matrix(_matrices, i), Projected(_projected, i, batchSize),
                batchSize, n, d, transA: false, transB: false, accumulate: false);
        }

        _job.Run(RowPass.Hadamard, embeddings, output, outputStride, column, batchSize);
    }

    /// <param name="dOutput">[B, P, D].</param>
    /// <param name="dEmbeddings">[B, F, D], accumulated.</param>
    public void Backward(float[] embeddings, float[] dOutput, int batchSize, float[] dEmbeddings) =>
        Backward(embeddings, dOutput, PairCount * Dim, 0, batchSize, dEmbeddings);

    /// <summary>As <see cref="Backward(float[], float[], int, float[])"/>, reading row b's P·D gradients at
    /// dOutput[b·<paramref name="dOutputStride"/> + <paramref name="column"/>].</summary>
    public void Backward(float[] embeddings, float[] dOutput, int dOutputStride, int column, int batchSize, float[] dEmbeddings)
    {
        int d = Dim;
        // dT_i = dOut ⊙ e_{i+1..} and dE_{i+1..} += dOut ⊙ T_i, by rows.
        _job.Run(RowPass.HadamardBackward, embeddings, dOutput, dOutputStride, column, batchSize, dEmbeddings);
        for (int i = 0; i < FieldCount - 1; i++)
        {
            int n = Width(i);
            ReadOnlySpan<float> dT = Projected(_dProjected, i, batchSize);
            _compute.Multiply(dT, Matrix(_matrices, i), Gathered(_dGathered, i, batchSize),
                batchSize, d, n, transA: false, transB: true, accumulate: false);
            _compute.Multiply(Gathered(_gathered, i, batchSize), dT, Matrix(_dMatrices, i),
                d, n, batchSize, transA: true, transB: false, accumulate: false);
        }

        _job.Run(RowPass.Scatter, embeddings, dOutput, dOutputStride, column, batchSize, dEmbeddings);
        FoldMatrixGradients();
    }

    /// <summary>(F−1−i)·D: the output columns of left field i.</summary>
    private int Width(int i) => (FieldCount - 1 - i) * Dim;

    private Span<float> Matrix(float[] matrices, int i) => matrices.AsSpan(Dim * _columnStart[i], Dim * Width(i));

    private Span<float> Gathered(float[] gathered, int i, int batchSize) => gathered.AsSpan(i * batchSize * Dim, batchSize * Dim);

    private Span<float> Projected(float[] projected, int i, int batchSize) =>
        projected.AsSpan(batchSize * _columnStart[i], batchSize * Width(i));

    /// <summary>The weight matrix pair p = (i, j) uses.</summary>
    private int MatrixIndex(int i, int pair) => Kind switch
    {
        BilinearKind.FieldAll => 0,
        BilinearKind.FieldEach => i,
        _ => pair,
    };

    /// <summary>M_i[k, (j−i−1)·D + c] = W_(i,j)[k, c].</summary>
    private void PackMatrices()
    {
        int f = FieldCount, d = Dim, dd = d * d;
        ReadOnlySpan<float> w = _weight.Value;
        for (int i = 0, pair = 0; i < f - 1; i++)
        {
            Span<float> m = Matrix(_matrices, i);
            int n = Width(i);
            for (int j = i + 1; j < f; j++, pair++)
            {
                int matrix = MatrixIndex(i, pair);
                for (int k = 0; k < d; k++)
                {
                    w.Slice(matrix * dd + k * d, d).CopyTo(m.Slice(k * n + (j - i - 1) * d, d));
                }
            }
        }
    }

    /// <summary>dW_(i,j)[k, c] += dM_i[k, (j−i−1)·D + c], in pair order.</summary>
    private void FoldMatrixGradients()
    {
        int f = FieldCount, d = Dim, dd = d * d;
        Span<float> dW = _weight.Grad!;
        for (int i = 0, pair = 0; i < f - 1; i++)
        {
            ReadOnlySpan<float> dM = Matrix(_dMatrices, i);
            int n = Width(i);
            for (int j = i + 1; j < f; j++, pair++)
            {
                int matrix = MatrixIndex(i, pair);
                for (int k = 0; k < d; k++)
                {
                    Span<float> target = dW.Slice(matrix * dd + k * d, d);
                    TensorPrimitives.Add(target, dM.Slice(k * n + (j - i - 1) * d, d), target);
                }
            }
        }
    }

    private enum RowPass
    {
        Gather,
        Hadamard,
        HadamardBackward,
        Scatter,
    }

    /// <summary>The row passes over the compute threads; reused every step (set, then run).</summary>
    private sealed class RowJob(BilinearInteraction layer) : IComputeJob
    {
        // Every row of a pass touches F·D inputs and up to P·D outputs: small parts already pay for the handoff.
        private const int MinRowsPerPart = 8;

        private RowPass _pass;
        private float[] _embeddings = [];
        private float[] _pairs = [];
        private float[] _dEmbeddings = [];
        private int _stride, _column, _rows;

        public void Run(RowPass pass, float[] embeddings, float[] pairs, int stride, int column, int rows, float[]? dEmbeddings = null)
        {
            (_pass, _embeddings, _pairs, _stride, _column, _rows, _dEmbeddings) =
                (pass, embeddings, pairs, stride, column, rows, dEmbeddings ?? []);
            RowParallel.For(layer._compute, rows, MinRowsPerPart, this);
        }

        public void Run(int part, int partCount)
        {
            (int start, int end) = RowParallel.Range(_rows, part, partCount);
            int f = layer.FieldCount, d = layer.Dim, width = f * d, rows = _rows;
            for (int b = start; b < end; b++)
            {
                ReadOnlySpan<float> e = _embeddings.AsSpan(b * width, width);
                Span<float> pairs = _pairs.AsSpan(b * _stride + _column, layer.PairCount * d);
                for (int i = 0; i < f - 1; i++)
                {
                    int n = layer.Width(i), columns = layer._columnStart[i];
                    switch (_pass)
                    {
                        case RowPass.Gather:
                            e.Slice(i * d, d).CopyTo(layer.Gathered(layer._gathered, i, rows).Slice(b * d, d));
                            break;
                        case RowPass.Hadamard:
                            TensorPrimitives.Multiply(layer.Projected(layer._projected, i, rows).Slice(b * n, n),
                                e.Slice((i + 1) * d, n), pairs.Slice(columns, n));
                            break;
                        case RowPass.HadamardBackward:
                        {
                            ReadOnlySpan<float> g = pairs.Slice(columns, n);
                            Span<float> dE = _dEmbeddings.AsSpan(b * width + (i + 1) * d, n);
                            TensorPrimitives.Multiply(g, e.Slice((i + 1) * d, n), layer.Projected(layer._dProjected, i, rows).Slice(b * n, n));
                            TensorPrimitives.FusedMultiplyAdd(g, layer.Projected(layer._projected, i, rows).Slice(b * n, n), dE, dE);
                            break;
                        }

                        default:
                        {
                            Span<float> dE = _dEmbeddings.AsSpan(b * width + i * d, d);
                            TensorPrimitives.Add(dE, layer.Gathered(layer._dGathered, i, rows).Slice(b * d, d), dE);
                            break;
                        }
                    }
                }
            }
        }
    }
}
