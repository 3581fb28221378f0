using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Clickwise.Interchange;
using Clickwise.Kernels;

namespace Clickwise.Inference.Ops;

/// <summary>
/// Adds Σ_{i&lt;j} r_ij ⟨e_i, e_j⟩. Two forms, chosen by the compiler: a dense form, y = Σ_d e_dᵀ·U·e_d with U the
/// strictly upper-triangular R, vectorised over blocks of eight fields i and four embedding dimensions at a time
/// (independent FMA chains); and a sparse form over the list of surviving pairs, which is what a pruned field
/// matrix (DeepLight's R) wants. A block of many rows runs the dense form as one GEMM instead: Z = U·[E_1 … E_R]
/// with the rows' [F, D] embeddings side by side, then y_b = ⟨E_b, Z_b⟩; the per-row form is latency-bound on
/// short FMA chains (~1.2 µs a row here), the GEMM runs near the FMA peak.
/// These forms stay the op's own, not registered kernels: the pair list is the planner's choice over the pruned
/// weights, and the per-row forms are batch-1 layouts of R that the training kernel (<see cref="IFwFMKernel"/>, one
/// sample per lane over blocks of 16) has no use for. When the registry's FwFM kernel is the reference
/// (<c>CLICKWISE_KERNELS=reference</c>), every row runs that reference over R instead, whatever form was planned.
/// </summary>
internal sealed class FwFMPairsOp : IInferenceOp, IOnnxExportable
{
    private const int Block = 8;

    /// <summary>Fewest rows for the GEMM form: below it packing and edge tiles cost more than the per-row form.</summary>
    private const int GemmMinRows = 16;

    private readonly int _fieldCount;
    private readonly int _dim;
    private readonly int _embeddingOffset;
    private readonly int _scratchOffset;
    private readonly int _paddedFields;

    // Dense form: column j of U, padded: upperColumns[j * Fp + i] = r_ij for i < j, else 0.
    private readonly float[]? _upperColumns;

    // GEMM form: U [F, F] row-major, upper[i * F + j] = r_ij for i < j, else 0 (null in the sparse form).
    private readonly float[]? _upper;
    private readonly ComputeContext _compute;

    // The registered FwFM kernel every row runs instead of the forms (the reference, when forced), over R [F, F].
    private readonly IFwFMKernel? _kernel;
    private readonly float[]? _pairMatrix;

    // Sparse form: surviving pairs as embedding offsets i·D, j·D and weights.
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly float[] _weights;

    /// <param name="pairWeights">The P = F(F−1)/2 pair weights r_ij, i &lt; j, row by row.</param>
    /// <param name="kernel">When set, every row runs this registered kernel's forward over R instead of the planned form
    /// (the plan passes the reference when <c>CLICKWISE_KERNELS=reference</c> forced it).</param>
    public FwFMPairsOp(ReadOnlySpan<float> pairWeights, int fieldCount, int dim, int embeddingOffset, int scratchOffset, bool dense,
                       ComputeContext compute, IFwFMKernel? kernel = null)
    {
        _kernel = kernel;
        _pairMatrix = kernel is null ? null : new float[fieldCount * fieldCount];
        _compute = compute;
        _fieldCount = fieldCount;
        _dim = dim;
        _embeddingOffset = embeddingOffset;
        _scratchOffset = scratchOffset;
        _paddedFields = PaddedFields(fieldCount);
        var left = new List<int>();
        var right = new List<int>();
        var weights = new List<float>();
        if (dense)
        {
            _upperColumns = new float[fieldCount * _paddedFields];
            _upper = new float[fieldCount * fieldCount];
        }

        int p = 0;
        for (int i = 0; i < fieldCount; i++)
        {
            for (int j = i + 1; j < fieldCount; j++, p++)
            {
                if (pairWeights[p] == 0f)
                {
                    continue;
                }

                if (_pairMatrix is not null)
                {
                    _pairMatrix[i * fieldCount + j] = pairWeights[p];
                }

                left.Add(i * dim);
                right.Add(j * dim);
                weights.Add(pairWeights[p]);
                if (_upperColumns is not null)
                {
                    _upperColumns[j * _paddedFields + i] = pairWeights[p];
                    _upper![i * fieldCount + j] = pairWeights[p];
                }
            }
        }

        _left = [.. left];
        _right = [.. right];
        _weights = [.. weights];
    }

    /// <summary>Scratch floats per row the dense forms need: E transposed [D, Fp], or the GEMM's E and Z, 2·[F, D].</summary>
    public static int ScratchWidth(int fieldCount, int dim) => Math.Max(dim * PaddedFields(fieldCount), 2 * fieldCount * dim);

    public int PairCount => _weights.Length;

    public bool IsDense => _upperColumns is not null;

    public long ParameterCount => _weights.Length;

    public long Bytes => (_pairMatrix?.LongLength ?? 0) * sizeof(float) + (_upperColumns is not null
        ? (_upperColumns.LongLength + _upper!.LongLength) * sizeof(float)
        : _weights.Length * (long)(sizeof(float) + 2 * sizeof(int)));

    public void RunRows(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, ExtraLookups extras, int batchSize,
                        int rowStart, int rowEnd, Span<float> logits)
    {
        int width = _fieldCount * _dim;
        ReadOnlySpan<float> emb = tape.Region(_embeddingOffset, width, batchSize);
        Span<float> scratch = tape.Region(_scratchOffset, ScratchWidth(_fieldCount, _dim), batchSize);
        if (_kernel is not null)
        {
            for (int b = rowStart; b < rowEnd; b++)
            {
                Span<float> y = scratch.Slice(b * ScratchWidth(_fieldCount, _dim), 1);
                _kernel.Forward(emb.Slice(b * width, width), _pairMatrix, 1, _fieldCount, _dim, y);
                logits[b] += y[0];
            }

            return;
        }

        if (_upper is not null && rowEnd - rowStart >= GemmMinRows)
        {
            int scratchStart = rowStart * ScratchWidth(_fieldCount, _dim);
            GemmRows(emb, scratch[scratchStart..], rowStart, rowEnd, logits);
            return;
        }

        for (int b = rowStart; b < rowEnd; b++)
        {
            ReadOnlySpan<float> e = emb.Slice(b * width, width);
            logits[b] += _upperColumns is not null
                ? DenseRow(e, scratch.Slice(b * ScratchWidth(_fieldCount, _dim), ScratchWidth(_fieldCount, _dim)))
                : SparseRow(e);
        }
    }

    /// <summary>y = Σ_d e_dᵀ·U·e_d with U the strictly upper-triangular R of the surviving pairs: a MatMul and a reduction.</summary>
    public void Export(OnnxGraph graph)
    {
        float[] upper = new float[_fieldCount * _fieldCount];
        for (int p = 0; p < _weights.Length; p++)
        {
            upper[_left[p] / _dim * _fieldCount + _right[p] / _dim] = _weights[p];
        }

        string e = graph.Reshape(graph.Read(_embeddingOffset, _fieldCount * _dim), -1, _fieldCount, _dim);
        string z = graph.Node("MatMul", [graph.Weight("fwfm_r", upper, _fieldCount, _fieldCount), e]);
        graph.AddToLogits(graph.Reshape(graph.ReduceSum(graph.Node("Mul", [e, z]), 1, 2), -1, 1));
    }

    public string Describe() =>
        $"fwfm pairs {(IsDense ? "dense" : "sparse")} {_weights.Length} of {_fieldCount * (_fieldCount - 1) / 2} D={_dim}"
        + (_kernel is null ? "" : $" ({_kernel.Name})");

    /// <summary>The GEMM form over rows [rowStart, rowEnd): E side by side [F, R·D], Z = U·E, y_b = Σ ⟨E_b, Z_b⟩.</summary>
    private unsafe void GemmRows(ReadOnlySpan<float> emb, Span<float> scratch, int rowStart, int rowEnd, Span<float> logits)
    {
        int f = _fieldCount, dim = _dim, width = f * dim, rows = rowEnd - rowStart, n = rows * dim;
        Span<float> e = scratch[..(f * n)];
        Span<float> z = scratch.Slice(f * n, f * n);
        fixed (float* src = emb, dst = e)
        {
            for (int b = 0; b < rows; b++)
            {
                float* row = src + (nint)(rowStart + b) * width;
                for (int i = 0; i < f; i++)
                {
                    float* to = dst + (nint)i * n + b * dim;
                    for (int d = 0; d < dim; d++)
                    {
                        to[d] = row[i * dim + d];
                    }
                }
            }
        }

        // On a split batch this runs inside one part, where the busy pool keeps it inline; a small batch may use the threads.
        _compute.Multiply(_upper, e, z, f, n, f, transA: false, transB: false, accumulate: false);

        // Column sums of E ⊙ Z into Z's first row, then each row's D columns into its logit.
        Span<float> sums = z[..n];
        TensorPrimitives.Multiply(e[..n], sums, sums);
        for (int i = 1; i < f; i++)
        {
            TensorPrimitives.FusedMultiplyAdd(e.Slice(i * n, n), z.Slice(i * n, n), sums, sums);
        }

        for (int b = 0; b < rows; b++)
        {
            logits[rowStart + b] += TensorPrimitives.Sum(sums.Slice(b * dim, dim));
        }
    }

    private static int PaddedFields(int fieldCount) => (fieldCount + Block - 1) / Block * Block;

    private float SparseRow(ReadOnlySpan<float> e)
    {
        if (_dim < Vector256<float>.Count || !Vector256.IsHardwareAccelerated)
        {
            return SparseRowScalar(e);
        }

        // Per pair, w·(e_i ⊙ e_j) summed as vectors: 8-float chunks, the last one overlapping the previous with
        // the lanes already counted masked off. Pairs alternate between two accumulators, so no pair waits on the last.
        ref float row = ref MemoryMarshal.GetReference(e);
        int last = _dim - Vector256<float>.Count;
        int covered = (last + Vector256<float>.Count - 1) / Vector256<float>.Count * Vector256<float>.Count;
        Vector256<float> tailMask = Vector256.GreaterThanOrEqual(
            Vector256.Create(last) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(covered)).AsSingle();
        Vector256<float> even = Vector256<float>.Zero, odd = Vector256<float>.Zero;
        for (int p = 0; p < _weights.Length; p++)
        {
            nuint i = (nuint)_left[p], j = (nuint)_right[p];
            Vector256<float> products = Vector256<float>.Zero;
            for (int k = 0; k < last; k += Vector256<float>.Count)
            {
                products += Vector256.LoadUnsafe(ref row, i + (nuint)k) * Vector256.LoadUnsafe(ref row, j + (nuint)k);
            }

            products += Vector256.BitwiseAnd(tailMask,
                Vector256.LoadUnsafe(ref row, i + (nuint)last) * Vector256.LoadUnsafe(ref row, j + (nuint)last));
            if ((p & 1) == 0)
            {
                even += products * _weights[p];
            }
            else
            {
                odd += products * _weights[p];
            }
        }

        return Vector256.Sum(even + odd);
    }

    private float SparseRowScalar(ReadOnlySpan<float> e)
    {
        float sum = 0f;
        for (int p = 0; p < _weights.Length; p++)
        {
            ReadOnlySpan<float> a = e.Slice(_left[p], _dim);
            ReadOnlySpan<float> c = e.Slice(_right[p], _dim);
            float dot = 0f;
            for (int d = 0; d < a.Length; d++)
            {
                dot += a[d] * c[d];
            }

            sum += _weights[p] * dot;
        }

        return sum;
    }

    private unsafe float DenseRow(ReadOnlySpan<float> e, Span<float> transposed)
    {
        int fp = _paddedFields, f = _fieldCount, dim = _dim;
        transposed.Clear();
        for (int i = 0; i < f; i++)
        {
            for (int d = 0; d < dim; d++)
            {
                transposed[d * fp + i] = e[i * dim + d];
            }
        }

        fixed (float* et = transposed)
        fixed (float* u = _upperColumns)
        {
            return Vector256.IsHardwareAccelerated ? DenseVector(et, u, f, fp, dim) : DenseScalar(et, u, f, fp, dim);
        }
    }

    /// <summary>
    /// For each block of eight fields i and group of up to four dimensions: z_d = Σ_{j&gt;i} U[i, j]·e_d[j], then
    /// Σ ⟨e_d, z_d⟩. Even and odd j accumulate separately: four dimensions then make eight independent FMA chains,
    /// enough to cover the FMA latency on two ports; a single chain per dimension waited on it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe float DenseVector(float* et, float* u, int f, int fp, int dim)
    {
        Vector256<float> total = Vector256<float>.Zero;
        for (int i0 = 0; i0 < f; i0 += Block)
        {
            int d = 0;
            for (; d + 4 <= dim; d += 4)
            {
                float* e0 = et + d * fp, e1 = e0 + fp, e2 = e1 + fp, e3 = e2 + fp;
                Vector256<float> z0 = Vector256<float>.Zero, z1 = z0, z2 = z0, z3 = z0;
                Vector256<float> y0 = z0, y1 = z0, y2 = z0, y3 = z0;
                int j = i0 + 1;
                for (; j + 1 < f; j += 2)
                {
                    Vector256<float> column = Vector256.Load(u + j * fp + i0);
                    Vector256<float> next = Vector256.Load(u + (j + 1) * fp + i0);
                    z0 = Vector256.FusedMultiplyAdd(column, Vector256.Create(e0[j]), z0);
                    z1 = Vector256.FusedMultiplyAdd(column, Vector256.Create(e1[j]), z1);
                    z2 = Vector256.FusedMultiplyAdd(column, Vector256.Create(e2[j]), z2);
                    z3 = Vector256.FusedMultiplyAdd(column, Vector256.Create(e3[j]), z3);
                    y0 = Vector256.FusedMultiplyAdd(next, Vector256.Create(e0[j + 1]), y0);
                    y1 = Vector256.FusedMultiplyAdd(next, Vector256.Create(e1[j + 1]), y1);
                    y2 = Vector256.FusedMultiplyAdd(next, Vector256.Create(e2[j + 1]), y2);
                    y3 = Vector256.FusedMultiplyAdd(next, Vector256.Create(e3[j + 1]), y3);
                }

                if (j < f)
                {
                    Vector256<float> column = Vector256.Load(u + j * fp + i0);
                    z0 = Vector256.FusedMultiplyAdd(column, Vector256.Create(e0[j]), z0);
                    z1 = Vector256.FusedMultiplyAdd(column, Vector256.Create(e1[j]), z1);
                    z2 = Vector256.FusedMultiplyAdd(column, Vector256.Create(e2[j]), z2);
                    z3 = Vector256.FusedMultiplyAdd(column, Vector256.Create(e3[j]), z3);
                }

                total = Vector256.FusedMultiplyAdd(Vector256.Load(e0 + i0), z0 + y0, total);
                total = Vector256.FusedMultiplyAdd(Vector256.Load(e1 + i0), z1 + y1, total);
                total = Vector256.FusedMultiplyAdd(Vector256.Load(e2 + i0), z2 + y2, total);
                total = Vector256.FusedMultiplyAdd(Vector256.Load(e3 + i0), z3 + y3, total);
            }

            for (; d < dim; d++)
            {
                float* ed = et + d * fp;
                Vector256<float> z = Vector256<float>.Zero, y = z;
                int j = i0 + 1;
                for (; j + 1 < f; j += 2)
                {
                    z = Vector256.FusedMultiplyAdd(Vector256.Load(u + j * fp + i0), Vector256.Create(ed[j]), z);
                    y = Vector256.FusedMultiplyAdd(Vector256.Load(u + (j + 1) * fp + i0), Vector256.Create(ed[j + 1]), y);
                }

                if (j < f)
                {
                    z = Vector256.FusedMultiplyAdd(Vector256.Load(u + j * fp + i0), Vector256.Create(ed[j]), z);
                }

                total = Vector256.FusedMultiplyAdd(Vector256.Load(ed + i0), z + y, total);
            }
        }

        return Vector256.Sum(total);
    }

    private static unsafe float DenseScalar(float* et, float* u, int f, int fp, int dim)
    {
        float total = 0f;
        for (int d = 0; d < dim; d++)
        {
            float* ed = et + d * fp;
            for (int i = 0; i < f; i++)
            {
                float z = 0f;
                for (int j = i + 1; j < f; j++)
                {
                    z += u[j * fp + i] * ed[j];
                }

                total += ed[i] * z;
            }
        }

        return total;
    }
}
