using System.Runtime.Intrinsics;

namespace Clickwise.Inference.Ops;

/// <summary>
/// Adds Σ_{i&lt;j} r_ij ⟨e_i, e_j⟩. Two forms, chosen by the compiler: a dense form that works per embedding
/// dimension d as y = Σ_d e_dᵀ·U·e_d with U the strictly-upper-triangular R (vectorised over fields), and a
/// sparse form over the list of surviving pairs, which is what a pruned field matrix (DeepLight's R) wants.
/// </summary>
internal sealed class FwFMPairsOp : IInferenceOp
{
    private readonly int _fieldCount;
    private readonly int _dim;
    private readonly int _embeddingOffset;
    private readonly int _scratchOffset;
    private readonly int _paddedFields;

    // Dense form: column j of U, padded to _paddedFields: upperColumns[j * Fp + i] = r_ij for i < j, else 0.
    private readonly float[]? _upperColumns;

    // Sparse form: surviving pairs as embedding offsets i·D, j·D and weights.
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly float[] _weights;

    public FwFMPairsOp(ReadOnlySpan<float> pairWeights, int fieldCount, int dim, int embeddingOffset, int scratchOffset, bool dense)
    {
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

                left.Add(i * dim);
                right.Add(j * dim);
                weights.Add(pairWeights[p]);
                if (_upperColumns is not null)
                {
                    _upperColumns[j * _paddedFields + i] = pairWeights[p];
                }
            }
        }

        _left = [.. left];
        _right = [.. right];
        _weights = [.. weights];
    }

    /// <summary>Scratch floats per row the dense form needs: E transposed [D, Fp] and z [Fp].</summary>
    public static int ScratchWidth(int fieldCount, int dim) => (dim + 1) * PaddedFields(fieldCount);

    public int PairCount => _weights.Length;

    public bool IsDense => _upperColumns is not null;

    public long ParameterCount => _weights.Length;

    public long Bytes => _upperColumns is not null
        ? _upperColumns.LongLength * sizeof(float)
        : _weights.Length * (long)(sizeof(float) + 2 * sizeof(int));

    public void Run(InferenceTape tape, ReadOnlySpan<int> ids, ReadOnlySpan<float> values, int batchSize, Span<float> logits)
    {
        int width = _fieldCount * _dim;
        ReadOnlySpan<float> emb = tape.Region(_embeddingOffset, width, batchSize);
        Span<float> scratch = tape.Region(_scratchOffset, ScratchWidth(_fieldCount, _dim), 1);
        for (int b = 0; b < batchSize; b++)
        {
            ReadOnlySpan<float> e = emb.Slice(b * width, width);
            logits[b] += _upperColumns is not null ? DenseRow(e, scratch) : SparseRow(e);
        }
    }

    public string Describe() =>
        $"fwfm pairs {(IsDense ? "dense" : "sparse")} {_weights.Length} of {_fieldCount * (_fieldCount - 1) / 2} D={_dim}";

    private static int PaddedFields(int fieldCount) => (fieldCount + 15) & ~15;

    private float SparseRow(ReadOnlySpan<float> e)
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

    private float DenseRow(ReadOnlySpan<float> e, Span<float> scratch)
    {
        int fp = _paddedFields;
        Span<float> et = scratch[..(_dim * fp)];
        Span<float> z = scratch.Slice(_dim * fp, fp);
        et.Clear();
        for (int f = 0; f < _fieldCount; f++)
        {
            for (int d = 0; d < _dim; d++)
            {
                et[d * fp + f] = e[f * _dim + d];
            }
        }

        ReadOnlySpan<float> u = _upperColumns;
        float total = 0f;
        for (int d = 0; d < _dim; d++)
        {
            ReadOnlySpan<float> ed = et.Slice(d * fp, fp);
            z.Clear();
            for (int j = 1; j < _fieldCount; j++)
            {
                AddScaled(z, u.Slice(j * fp, fp), ed[j]);
            }

            total += Dot(ed, z);
        }

        return total;
    }

    private static void AddScaled(Span<float> z, ReadOnlySpan<float> column, float scale)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; i + 8 <= z.Length; i += 8)
            {
                var acc = Vector256.Create((ReadOnlySpan<float>)z.Slice(i, 8));
                var col = Vector256.Create(column.Slice(i, 8));
                Vector256.FusedMultiplyAdd(col, s, acc).CopyTo(z.Slice(i, 8));
            }
        }

        for (; i < z.Length; i++)
        {
            z[i] += column[i] * scale;
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
}
